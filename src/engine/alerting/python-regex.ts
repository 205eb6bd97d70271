/**
 * OnCall compiles route regexes with Python's `re` and applies `re.search` to every alert. A
 * backtracking engine lets one pattern such as `(x+x+)+y` hold the process for seconds on a
 * 60-byte alert, so route regexes run on RE2 (re2js), whose matching time is linear in the text.
 *
 * Python's syntax is translated to RE2's: leading global flags `(?i)`, `(?s)`, `(?m)` and `(?x)`
 * (verbose: whitespace and comments removed), `\Z` (end of text), `\uXXXX` / `\UXXXXXXXX`, and
 * `(?#…)` comments. RE2 has no backreferences, lookaround, atomic groups, possessive quantifiers or
 * conditionals: they need backtracking. Backreferences and lookaround, which Python routes do use,
 * run on JavaScript's engine inside the template sandbox, under its time budget (over budget: no
 * match) and the same breaker as templates; the rest are refused with a message naming the construct.
 */
import { RE2JS } from 're2js';
import { breaker, sandbox } from './templates.js';
import { SandboxError } from './templates/sandbox.js';

/** A compiled route regex: `test` is Python's `re.search(pattern, text) is not None`. */
export interface RouteRegex {
  readonly engine: 're2' | 'backtracking';
  test(text: string): boolean;
}

export type RegexCompilation = { ok: true; regex: RouteRegex } | { ok: false; problem: string };

/** A JavaScript-syntax regex run in the sandbox; over its budget (or broken) it does not match. */
function boundedTest(source: string, flags: string, text: string): boolean {
  const key = `regex:${flags}:${source}`;
  if (breaker.blockedFor(key)) return false;
  try {
    return sandbox.regexTest(source, flags, text);
  } catch (err) {
    if (!(err instanceof SandboxError)) throw err;
    if (err.kind !== 'unavailable') breaker.failed(key);
    return false;
  }
}

interface Parsed {
  source: string;
  flags: string;
}

/** Strip Python's leading global flags; `(?x)` also removes whitespace and `#` comments. */
function leadingFlags(pattern: string): Parsed {
  let source = pattern;
  let flags = '';
  for (let m = /^\(\?([aiLmsux]+)\)/.exec(source); m; m = /^\(\?([aiLmsux]+)\)/.exec(source)) {
    for (const f of m[1]!) if ('ims'.includes(f) && !flags.includes(f)) flags += f;
    source = source.slice(m[0].length);
    if (m[1]!.includes('x')) source = stripVerbose(source);
  }
  return { source, flags };
}

function stripVerbose(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      out += c + (source[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else if (c === '#') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (!/\s/.test(c)) {
      out += c;
    }
  }
  return out;
}

/** Constructs that need a backtracking engine, in the words the refusal uses. */
function backtrackingConstruct(source: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    const rest = source.slice(i);
    if (c === '\\') {
      if (!inClass && /^\\[1-9]/.test(rest)) return `a backreference (${rest.slice(0, 2)})`;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (source[i + 1] === ']') i++; // `[]...]`: a literal ] first
      continue;
    }
    if (rest.startsWith('(?P=')) return `a backreference (${rest.slice(0, rest.indexOf(')') + 1) || '(?P='})`;
    if (/^\(\?<?[=!]/.test(rest)) return `lookaround (${/^\(\?<?[=!]/.exec(rest)![0]}…)`;
    if (rest.startsWith('(?>')) return 'an atomic group ((?>…))';
    if (rest.startsWith('(?(')) return 'a conditional group ((?(…)…))';
    if (/^[*+?}][+]/.test(rest)) return `a possessive quantifier (${rest.slice(0, 2)})`;
  }
  return undefined;
}

/** Python spellings RE2 reads differently: `\Z` → `\z`, `\uXXXX` → `\x{XXXX}`, `(?#…)` dropped. */
function toRe2(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      const hex = next === 'u' ? source.slice(i + 2, i + 6) : next === 'U' ? source.slice(i + 2, i + 10) : '';
      if (next === 'Z') out += '\\z';
      else if (hex && /^[0-9a-fA-F]+$/.test(hex) && hex.length === (next === 'u' ? 4 : 8)) {
        out += `\\x{${hex}}`;
        i += hex.length;
      } else out += c + next;
      i++;
    } else if (source.startsWith('(?#', i)) {
      const end = source.indexOf(')', i);
      i = end === -1 ? source.length : end;
    } else {
      out += c;
    }
  }
  return out;
}

/** The JavaScript spelling, for the bounded backtracking runner. */
function toJavaScript(source: string): string {
  return source
    .replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>')
    .replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>')
    .replace(/(^|[^\\])\\A/g, '$1^')
    .replace(/(^|[^\\])\\Z/g, '$1$');
}

function re2Flags(flags: string): number {
  let out = 0;
  if (flags.includes('i')) out |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('s')) out |= RE2JS.DOTALL;
  if (flags.includes('m')) out |= RE2JS.MULTILINE;
  return out;
}

/** Compile a route regex, or say what is wrong with it in words an agent can act on. */
export function compileRouteRegex(pattern: string): RegexCompilation {
  const { source, flags } = leadingFlags(pattern);
  const construct = backtrackingConstruct(source);
  if (construct) {
    const js = toJavaScript(source);
    try {
      new RegExp(js, flags); // only checks that it compiles: the host never runs it
    } catch {
      return { ok: false, problem: `it uses ${construct}, which no regex engine here supports; rewrite it without that construct` };
    }
    return { ok: true, regex: { engine: 'backtracking', test: (text) => boundedTest(js, flags, text) } };
  }
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(toRe2(source), re2Flags(flags));
  } catch (err) {
    const detail = err instanceof Error ? err.message.replace(/^error parsing regexp: /, '') : 'it does not compile';
    return { ok: false, problem: detail };
  }
  return { ok: true, regex: { engine: 're2', test: (text) => compiled.matcher(text).find() } };
}

/** The compiled regex, or undefined when the pattern is refused (OnCall: "incorrect"). */
export function compilePythonRegex(pattern: string): RouteRegex | undefined {
  const result = compileRouteRegex(pattern);
  return result.ok ? result.regex : undefined;
}
