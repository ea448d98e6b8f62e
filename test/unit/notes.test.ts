import { readFileSync } from 'node:fs';
import i18next, { type TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { Comparison } from '../../shared/compare';
import { englishNote, note, NOTE_CODES } from '../../shared/notes';
import { everyNote } from '../helpers/notes';
import { Run } from '../../shared/run';
import { cliNote } from '../../electron/note-text';
import { comparisonMarkdown } from '../../shared/export';
import { formatRun } from '../../electron/report';
import { makeFormatters } from '../../renderer/src/format';
import { noteWords } from '../../renderer/src/notes';

const locale = (lng: string) => JSON.parse(readFileSync(`renderer/src/locales/${lng}/notes.json`, 'utf8')) as Record<string, string>;
const fixture = (name: string) => JSON.parse(readFileSync(`test/fixtures/old/${name}`, 'utf8')) as unknown;

async function translator(lng: 'en' | 'fr'): Promise<TFunction> {
  const i = i18next.createInstance();
  await i.init({ lng, resources: { en: { notes: locale('en') }, fr: { notes: locale('fr') } }, interpolation: { escapeValue: false }, fallbackLng: false });
  return i.t;
}

/** Words no French sentence of ours contains: one of them in a French note means English leaked through. */
const ENGLISH_WORDS = /\b(the|and|of|was|were|is|are|with|its|from|this|that|only|could|not|in|to|per|each|one|no)\b/i;

describe('notes', () => {
  it('every code has English words, and en and fr UI strings with the same placeholders', () => {
    const en = locale('en');
    const fr = locale('fr');
    for (const code of NOTE_CODES) {
      if (code === 'text') continue;
      expect(en[code], `en ${code}`).toBeTruthy();
      expect(fr[code], `fr ${code}`).toBeTruthy();
      const holes = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
      expect(holes(fr[code]), code).toEqual(holes(en[code]));
    }
    // And no key that is not a code (a renamed code must not leave its words behind).
    const extra = ['baselineOf', 'legacy', 'unknown', 'vm-qemu-pss_guest'];
    for (const key of Object.keys(fr)) expect([...NOTE_CODES, ...extra], key).toContain(key);
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    for (const n of everyNote()) expect(n.text, n.code).not.toBe('');
  });

  it('renders every note in French with no English sentence and every parameter in place', async () => {
    const t = await translator('fr');
    const f = makeFormatters('fr');
    for (const n of everyNote()) {
      const words = noteWords(t, f, n);
      expect(words, n.code).not.toMatch(ENGLISH_WORDS);
      expect(words, n.code).not.toMatch(/\{\{|notes:/);
      expect(words, n.code).not.toBe(n.text);
      for (const v of Object.values(n.params)) if (typeof v === 'string' && v) expect(words, n.code).toContain(v);
    }
    // Numbers in the language's own format: 1 354 ms (narrow no-break space), 12,5 ms.
    const cold = noteWords(t, f, note('cold-first', { model: 'x', firstMs: 1354, medianMs: 12.5 }));
    expect(cold).toMatch(/1\s354\s*ms/);
    expect(cold).toMatch(/12,5\s*ms/);
    expect(noteWords(t, f, note('few-iterations', { model: 'process', baseline: true, n: 2 }))).toMatch(/^process \(plancher\) :/);
  });

  it('renders every note in English in the UI without CLI flags, and the CLI with them', async () => {
    const t = await translator('en');
    const f = makeFormatters('en');
    for (const n of everyNote()) {
      const words = noteWords(t, f, n);
      expect(words, n.code).not.toMatch(/\{\{|notes:/);
      expect(words, n.code).not.toMatch(/--\w/);
      expect(englishNote(n), n.code).not.toMatch(/--\w/);
    }
    expect(cliNote(note('few-iterations', { model: 'x', n: 2 }))).toMatch(/only 2 timed iteration\(s\).*--iterations 10/);
    expect(cliNote(note('cold-first', { model: 'x', firstMs: 50, medianMs: 10 }))).toMatch(/--warmup/);
    // The comparison the CLI prints words its notes with the flags; the exported file without.
    const c = Comparison.parse({ ...(fixture('comparison-string-notes.json') as object), models: [], notes: [note('few-iterations', { model: 'process', n: 2 })] });
    expect(comparisonMarkdown(c, cliNote)).toMatch(/- process: only 2 timed iteration\(s\); the statistics are rough\. Use --iterations 10 or more\./);
    expect(comparisonMarkdown(c)).not.toMatch(/--iterations/);
  });

  it('reads old runs and comparisons whose notes are plain strings, and shows them as such', async () => {
    const run = Run.parse(fixture('run-string-notes.json'));
    expect(run.notes).toHaveLength(2);
    expect(run.notes[0]).toEqual({ code: 'text', params: {}, text: expect.stringMatching(/^container:runc: only 2/) });
    expect(formatRun(run)).toContain('warning: container:runc: only 2 timed iteration(s); the statistics are rough. Use --iterations 10 or more.');
    const c = Comparison.parse(fixture('comparison-string-notes.json'));
    expect(c.notes[0].code).toBe('text');
    expect(c.models[0].notes[0].text).toMatch(/^process: only 3/);
    const fr = noteWords(await translator('fr'), makeFormatters('fr'), run.notes[1]);
    expect(fr).toMatch(/^Note d'une version antérieure/);
    expect(fr).toContain(run.notes[1].text);
  });

  it('a note round-trips through the stored document with its words beside', () => {
    const run = Run.parse({ ...(fixture('run-string-notes.json') as object), notes: [note('outliers', { model: 'x', count: 44, examples: '3, 17, 40' })] });
    const back = Run.parse(JSON.parse(JSON.stringify(run)));
    expect(back.notes[0]).toEqual({ code: 'outliers', params: { model: 'x', count: 44, examples: '3, 17, 40' }, text: 'x: 44 statistical outlier(s) (e.g. iteration 3, 17, 40); the median is robust to them, the mean is not.' });
  });
});
