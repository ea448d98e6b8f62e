import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LabApi } from '../../../shared/api';
import { early, prefetchRoute } from './early';

// The boot starts a page's first read before React; the page takes that answer once, then asks the engine.
function fakeApi() {
  const calls: string[] = [];
  const answer = (name: string) => (...args: unknown[]) => {
    calls.push([name, ...args].join(' '));
    return Promise.resolve({ name, n: calls.length });
  };
  const api = { info: answer('info'), getRun: answer('getRun'), getComparison: answer('getComparison'), tradeoffs: answer('tradeoffs') };
  return { api: api as unknown as LabApi, calls };
}

describe('early reads', () => {
  beforeEach(() => vi.stubGlobal('window', new EventTarget()));
  afterEach(() => {
    window.dispatchEvent(new Event('hashchange')); // drops what a test left
    vi.unstubAllGlobals();
  });

  it('starts the run page\'s read and info at boot, and gives each to the page once', async () => {
    const { api, calls } = fakeApi();
    prefetchRoute(api, { page: 'runs', params: ['r1'] });
    expect(calls).toEqual(['info', 'getRun r1']);
    const first = early(api, 'getRun', 'r1');
    expect(calls).toHaveLength(2); // the answer started at boot, no second request
    expect(await first).toMatchObject({ name: 'getRun', n: 2 });
    // A later read (the run ended, the page reloads it) asks the engine again.
    await early(api, 'getRun', 'r1');
    expect(calls).toEqual(['info', 'getRun r1', 'getRun r1']);
  });

  it('does not hand one run\'s answer to another, and starts the Compare and Learn pages\' reads', () => {
    const { api, calls } = fakeApi();
    prefetchRoute(api, { page: 'runs', params: ['r1'] });
    void early(api, 'getRun', 'r2');
    expect(calls.at(-1)).toBe('getRun r2');
    prefetchRoute(api, { page: 'compare', params: ['c1'] });
    prefetchRoute(api, { page: 'learn', params: [] });
    expect(calls).toContain('getComparison c1');
    expect(calls).toContain('tradeoffs');
  });

  it('drops answers nobody took once the address changes', async () => {
    const { api, calls } = fakeApi();
    prefetchRoute(api, { page: 'runs', params: ['r1'] });
    window.dispatchEvent(new Event('hashchange'));
    await early(api, 'getRun', 'r1');
    expect(calls).toEqual(['info', 'getRun r1', 'getRun r1']);
  });

  it('hands a failed early read to the page that takes it (and vitest fails on one left unhandled)', async () => {
    const failing = { info: () => Promise.reject(new Error('engine down')), getRun: () => Promise.reject(new Error('gone')) } as unknown as LabApi;
    prefetchRoute(failing, { page: 'runs', params: ['r1'] });
    await new Promise((r) => setTimeout(r, 20));
    await expect(early(failing, 'getRun', 'r1')).rejects.toThrow('gone');
  });
});
