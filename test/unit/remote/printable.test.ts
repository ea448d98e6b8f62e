import { describe, expect, it } from 'vitest';
import { printable, printableDeep, printableLine } from '../../../shared/printable';

/** Nothing a terminal would act on: no C0 but tab/newline, no DEL, no C1, no bidi override. */
const CONTROLS = /(?![\t\n])\p{Cc}|[\u202a-\u202e\u2066-\u2069]/u;

describe('text from a remote host, made printable', () => {
  it('removes CSI sequences whole (colours, cursor moves, clear screen), keeping the words', () => {
    expect(printable('\u001b[31mred\u001b[0m \u001b[2J\u001b[H\u001b[1;1Hhome\u001b[?25l')).toBe('red home');
  });

  it('removes OSC strings whole, ended by BEL or ST: window titles, OSC 52 clipboard writes, hyperlinks', () => {
    expect(printable('a\u001b]0;pwned\u0007b')).toBe('ab');
    expect(printable('a\u001b]52;c;cm0gLXJmIH4=\u001b\\b')).toBe('ab');
    expect(printable('\u001b]8;;http://evil.example\u0007link\u001b]8;;\u0007')).toBe('link');
    // Unterminated: dropped to the end of its line, the next line kept.
    expect(printable('x\u001b]2;title never ended\nnext')).toBe('x\nnext');
  });

  it('removes DCS/APC strings and the short sequences (reset, charset)', () => {
    expect(printable('a\u001bP+q544e\u001b\\b\u001b_apc\u001b\\c')).toBe('abc');
    expect(printable('a\u001bcb\u001b(Bc\u001b7d\u001b8')).toBe('abcd');
  });

  it('removes the 8-bit C1 forms: CSI U+009B with its parameters, OSC U+009D, and lone C1 controls', () => {
    expect(printable('a\u009b31mb\u009d0;title\u009cc\u0085d\u008de')).toBe('abcde');
  });

  it('removes BEL, backspace, carriage return, DEL and bidi overrides; keeps newlines, tabs and other Unicode', () => {
    expect(printable('ding\u0007 ab\bc\rd\u007f')).toBe('ding abcd');
    expect(printable('Debian GNU/Linux 12 (bookworm)\r\nkernel\t6.1 — café ✓')).toBe('Debian GNU/Linux 12 (bookworm)\nkernel\t6.1 — café ✓');
    expect(printable('user\u202Egnp.exe')).toBe('usergnp.exe');
    expect(printableLine('two\nlines\tand a tab')).toBe('two lines and a tab');
  });

  it('leaves no control character whatever the input', () => {
    let all = '';
    for (let c = 0; c < 0x2100; c++) all += String.fromCharCode(c) + 'x';
    expect(printable(all)).not.toMatch(CONTROLS);
    expect(printable(all)).toContain('\n');
  });

  it('cleans every string of a probe result and keeps its shape and numbers', () => {
    const probe = { os: 'Evil\u001b]0;x\u0007 OS', cpus: 4, blame: [{ unit: 'a\u001b[2J.service', ms: 12 }], none: undefined };
    expect(printableDeep(probe)).toEqual({ os: 'Evil OS', cpus: 4, blame: [{ unit: 'a.service', ms: 12 }], none: undefined });
  });
});
