/**
 * OnCall compiles route regexes with Python's `re` and applies `re.search`. JavaScript's RegExp
 * is close; the Python-only spellings used in practice are translated:
 * `(?P<name>…)` → `(?<name>…)`, `(?P=name)` → `\k<name>`, `\A` / `\Z` → `^` / `$`, and leading
 * global flags `(?i)`, `(?s)`, `(?m)`, `(?x)` (x: whitespace and comments removed) → RegExp flags.
 * A pattern that still does not compile is "incorrect", as in OnCall.
 */
export function compilePythonRegex(pattern: string): RegExp | undefined {
  let source = pattern;
  let flags = '';
  for (let m = /^\(\?([aiLmsux]+)\)/.exec(source); m; m = /^\(\?([aiLmsux]+)\)/.exec(source)) {
    for (const f of m[1]!) if ('ims'.includes(f) && !flags.includes(f)) flags += f;
    if (m[1]!.includes('x')) source = stripVerbose(source.slice(m[0].length));
    else source = source.slice(m[0].length);
  }
  source = source
    .replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>')
    .replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>')
    .replace(/(^|[^\\])\\A/g, '$1^')
    .replace(/(^|[^\\])\\Z/g, '$1$');
  try {
    return new RegExp(source, flags);
  } catch {
    return undefined;
  }
}

function stripVerbose(source: string): string {
  return source
    .split('\n')
    .map((line) => line.replace(/(^|[^\\])#.*$/, '$1'))
    .join('')
    .replace(/(^|[^\\])\s+/g, '$1');
}
