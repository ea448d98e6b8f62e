/** French, every namespace (one JSON file each, picked up by the glob): one chunk, loaded by renderer/src/language.ts. */
export default import.meta.glob<Record<string, unknown>>('./fr/*.json', { eager: true, import: 'default' });
