/**
 * Text that came from another machine (a remote host's os-release, uname, command output, error text), made
 * safe to print: nothing in it may drive the user's terminal (move the cursor, clear the screen, set the
 * window title, write the clipboard with OSC 52, ring the bell) or reorder what is shown (bidi overrides).
 * Escape sequences go whole, so no residue such as "[31m" is left; newlines and tabs stay.
 */

/** The two controls the sequences below are made of: ESC starts one, BEL may end an OSC string. */
const ESC = '\u001b';
const BEL = '\u0007';
// ESC then: CSI (params, intermediates, final); OSC/DCS/SOS/PM/APC strings up to BEL or ST (or the end of the
// line when unterminated); or a two-byte/intermediate sequence such as ESC c or ESC ( B.
const ESC_SEQUENCE = new RegExp(`${ESC}(?:\\[[0-?]*[ -/]*[@-~]?|[\\]PX^_][^${BEL}${ESC}\\n]*(?:${BEL}|${ESC}\\\\)?|[ -/]*[0-~]?)`, 'g');
// The same in their 8-bit (C1) forms: CSI U+009B, and DCS/SOS/OSC/PM/APC strings.
const C1_SEQUENCE = new RegExp(`\u009b[0-?]*[ -/]*[@-~]?|[\u0090\u0098\u009d\u009e\u009f][^${BEL}\u009c${ESC}\\n]*(?:${BEL}|\u009c|${ESC}\\\\)?`, 'g');
// What is left: every control character (C0, DEL, C1) but tab and newline, and the bidirectional marks,
// overrides and isolates.
const CONTROL = /(?![\t\n])\p{Cc}|[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** Control characters and escape sequences removed; `\r\n` read as a newline; tabs and newlines kept. */
export function printable(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(ESC_SEQUENCE, '').replace(C1_SEQUENCE, '').replace(CONTROL, '');
}

/** For one line of output (a table cell, a progress line): newlines and tabs become spaces too. */
export function printableLine(text: string): string {
  return printable(text).replace(/[\n\t]+/g, ' ');
}

/** Every string inside a value (objects and arrays, recursively) made printable; the shape is kept. */
export function printableDeep<T>(value: T): T {
  if (typeof value === 'string') return printable(value) as T;
  if (Array.isArray(value)) return value.map((v) => printableDeep(v)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [printable(k), printableDeep(v)])) as T;
  }
  return value;
}
