import { z } from 'zod';
import type { Note as NoteShape } from './notes';

const ParamValue = z.union([z.string(), z.number(), z.boolean()]);
const NoteObject = z.object({
  code: z.string(),
  params: z.record(z.string(), ParamValue).default({}),
  text: z.string().default(''),
});

/** A note as stored (shared/notes.ts). Plain strings (runs saved before notes had codes) are read as code `text`. */
export const Note = z.preprocess((v) => (typeof v === 'string' ? { code: 'text', params: {}, text: v } : v), NoteObject);
export type Note = NoteShape;

// The schema reads exactly the shape shared/notes.ts declares (both ways), so the two cannot drift apart.
const sameShape: [z.infer<typeof NoteObject>, NoteShape] extends [NoteShape, z.infer<typeof NoteObject>] ? true : never = true;
void sameShape;
