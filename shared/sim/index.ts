/** The simulator: pure TypeScript, deterministic for a seed, shared by the CLI and the renderer. */
export * from './catalogue';
export * from './consolidate';
export * from './distributions';
export * from './burst';
export * from './overheads';
export * from './machine';
export * from './profile';
export * from './queueing';
export * from './resolve';
export * from './replicate';
export * from './estimate';
export * from './scenario';
export * from './scenarios';
export { EventHeap } from './heap';
export * from './prices';
