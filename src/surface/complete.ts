/**
 * Completions (MCP completion/complete) for prompt arguments and resource-template variables:
 * what the user has typed so far, matched against the directory index the tools already keep
 * (names, usernames, emails, ids), answered with ids. So "Paym" completes to the Payments team's
 * id, which every tool and resource takes.
 */
import type { DirectoryIndex, RefKind } from '../tools/lookup/directory-index.js';

/** At most this many values per answer (MCP allows 100). */
const MAX = 20;

export async function completeIds(index: DirectoryIndex, kinds: readonly RefKind[], typed: string): Promise<string[]> {
  const wanted = typed.trim().toLowerCase().replace(/^@/, '');
  const scored: Array<[number, string, string]> = [];
  for (const kind of kinds) {
    for (const entry of await index.entries(kind)) {
      const spellings = [entry.name, ...entry.aliases].map((s) => s.toLowerCase());
      let score: number;
      if (!wanted) score = 3;
      else if (entry.id.toLowerCase() === wanted || spellings.includes(wanted)) score = 0;
      else if (entry.id.toLowerCase().startsWith(wanted) || spellings.some((s) => s.startsWith(wanted))) score = 1;
      else if (spellings.some((s) => s.includes(wanted))) score = 2;
      else continue;
      scored.push([score, entry.name, entry.id]);
    }
  }
  scored.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
  return [...new Set(scored.map(([, , id]) => id))].slice(0, MAX);
}
