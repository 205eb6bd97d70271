/**
 * Texts point to other tools ("list_users shows them all", "Fix: update_route …"). A server
 * started with --toolsets or --read-only lists only some tools, and an agent told to use one it
 * does not have is sent nowhere. Rather than every text asking which tools exist, each text block
 * is finished here: whatever part of it names a tool this server does not list goes.
 *
 * Per line: a parenthetical that names one is dropped first (`(list_routes shows it; update_route)`);
 * then each sentence or clause (split after `.`, `;`, `!`, `?`) that still names one. A line's label
 * (`Fix: `, `- `) stays with whatever is left of it, and a line left with nothing is dropped.
 */
const LABEL = /^(\s*(?:[-•]\s+)?(?:[A-Z][A-Za-z ]{0,24}:\s+)?)/;

export type TextFilter = (text: string) => string;

export function withoutTools(unavailable: readonly string[]): TextFilter {
  if (!unavailable.length) return (text) => text;
  const names = new RegExp(`\\b(?:${[...unavailable].sort((a, b) => b.length - a.length).join('|')})\\b`);
  const mentions = (s: string) => names.test(s);
  const line = (original: string): string | undefined => {
    if (!mentions(original)) return original;
    const label = LABEL.exec(original)?.[1] ?? '';
    let rest = original.slice(label.length).replace(/\s*\([^()]*\)/g, (group) => (mentions(group) ? '' : group));
    if (mentions(rest)) {
      rest = rest
        .split(/(?<=[.;!?])\s+/)
        .filter((part) => !mentions(part))
        .join(' ');
    }
    rest = rest.trim().replace(/^(?:or|and|then)\s+/i, '').replace(/[;,]$/, '.');
    if (!rest || /^[.;,:]+$/.test(rest)) return undefined;
    return `${label}${rest}`;
  };
  return (text) =>
    text
      .split('\n')
      .map(line)
      .filter((l): l is string => l !== undefined)
      .join('\n');
}
