import { englishNote, type Note, type NoteCode } from '../shared/notes';

/**
 * The CLI's words for a note: the English words with what to do about it in this face's terms, its flags.
 * (The UI says the same with its own words, in the user's language: renderer/src/notes.ts.)
 */
const FLAG_ADVICE: Partial<Record<NoteCode, string>> = {
  'few-iterations': 'Use --iterations 10 or more.',
  'wide-spread': 'Close them or raise --iterations.',
  'cold-first': 'Raise --warmup.',
  'vm-footprint-from-run': 'See isolab bench vm --density.',
  'host-memory-noise': 'Raise footprint.instances and footprint.rounds in the plan.',
  'few-rounds': 'Use --rounds 5 or more.',
  'root-host-correction': 'Log in to that host as root for every figure.',
  'root-process-pss': 'Log in to that host as root for every figure.',
  'root-helper-pss': 'Log in to that host as root for every figure.',
  'root-cgroup': 'Log in to that host as root for every figure.',
};

export function cliNote(n: Note): string {
  const advice = FLAG_ADVICE[n.code as NoteCode];
  const words = englishNote(n);
  return advice && n.code !== 'text' ? `${words} ${advice}` : words;
}
