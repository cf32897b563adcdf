// Quoting a value taken from the input for a one-line message: in single quotes, with
// backslashes, quotes, control characters, line separators and bidirectional controls escaped,
// so the message stays one line and nothing the input holds reaches the terminal raw.
// `max` cuts a long value (marked with ...).
export function quote(s: string, max = Infinity): string {
  const cut = s.length > max ? s.slice(0, max) : s;
  const body = cut.replace(/[\\'\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (c === '\\' || c === "'") return `\\${c}`;
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return `'${body}'${cut.length < s.length ? '...' : ''}`;
}

/** `s` on one line: control characters and line separators escaped (`\u000a`), nothing else touched. */
export const oneLine = (s: string): string =>
  s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
