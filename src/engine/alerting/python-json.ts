/**
 * `json.dumps(value)` as Python writes it with default settings: `", "` and `": "` separators,
 * keys in insertion order, non-ASCII escaped as `\uXXXX`. OnCall's regex routes search this
 * text, so a pattern like `"severity": "critical"` must see the spaces Python puts there.
 *
 * Known difference: JSON numbers like `1.0` arrive in JavaScript as `1`, so they print as `1`.
 */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return String(value);
  }
  if (typeof value === 'string') return quote(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (typeof value === 'object') {
    const parts = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `${quote(k)}: ${pythonJsonDumps(v)}`,
    );
    return `{${parts.join(', ')}}`;
  }
  return quote(String(value));
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function quote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = s.charCodeAt(i); // UTF-16 units: astral characters become surrogate pairs, as in Python
    const short = SHORT_ESCAPES[ch];
    if (short) out += short;
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
