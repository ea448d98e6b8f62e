import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { note } from '../../shared/notes';
import { everyNote } from '../helpers/notes';
import { OUT, startBrowserMode, type BrowserMode } from './browserMode';
import { largeRun } from './largeRun';

/**
 * A run carrying a note of every code, opened in Chromium in French: each note is in French words (the engine
 * stored codes and parameters), and a note from an older isolab (plain English text) says it is one.
 */
const ID = '20260303T090000000Z-container-runc-notes';
let bm: BrowserMode;

beforeAll(async () => {
  bm = await startBrowserMode();
  const run = largeRun(ID, 12, { warmup: 1 });
  run.notes = [...everyNote(), note('few-iterations', { model: 'process', baseline: true, n: 2 }), { code: 'text', params: {}, text: 'an old English note' }];
  await bm.lab.store.save(run);
}, 180_000);
afterAll(async () => {
  await bm?.close();
});

const ENGLISH_WORDS = /\b(the|and|of|was|were|is|are|with|its|from|this|that|only|could|not|in|to|per|each|one|no)\b/i;

describe('notes in the French UI', () => {
  it('shows every note code in French, and an old English note as such', async () => {
    const { page, errors } = await bm.open(`${bm.served.url}#/runs/${ID}`);
    await page.getByTestId('language').selectOption('fr');
    const items = page.locator('[data-testid="notes"] li');
    await page.getByTestId('notes').waitFor();
    const texts = await items.allTextContents();
    const codes = await items.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-code') ?? ''));
    expect(codes.filter((c) => c !== 'text').length).toBe(everyNote().length + 1);
    for (const [i, text] of texts.entries()) {
      if (codes[i] === 'text') expect(text).toMatch(/^Note d'une version antérieure.*an old English note/);
      else expect(text, codes[i]).not.toMatch(ENGLISH_WORDS);
    }
    expect(texts.join('\n')).toContain('process (plancher) :');
    await page.getByTestId('notes').screenshot({ path: path.join(OUT, 'notes-fr.png') });
    expect(errors).toEqual([]);
  });
});
