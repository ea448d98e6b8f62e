/**
 * Text that came from another machine (a remote host's os-release, uname, command output, error text), made
 * safe to print: nothing in it may drive the user's terminal (move the cursor, clear the screen, set the
 * window title, write the clipboard with OSC 52, ring the bell) or reorder what is shown (bidi overrides).
 * Escape sequences go whole, so no residue such as "[31m" is left; newlines and tabs stay.
 */

// ESC then: CSI (params, intermediates, final); OSC/DCS/SOS/PM/APC strings up to BEL or ST (or the end of the
// line when unterminated); or a two-byte/intermediate sequence such as ESC c or ESC ( B.
const ESC_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]?|[\]PX^_][^\u0007\u001b\n]*(?:\u0007|\u001b\\)?|[ -/]*[0-~]?)/g;
// The same in their 8-bit (C1) forms: CSI U+009B, and DCS/SOS/OSC/PM/APC strings.
const C1_SEQUENCE = /\u009b[0-?]*[ -/]*[@-~]?|[\u0090\u0098\u009d\u009e\u009f][^\u0007\u009c\u001b\n]*(?:\u0007|\u009c|\u001b\\)?/g;
// What is left: C0 controls but tab and newline, DEL, C1, and the bidirectional overrides and isolates.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

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
