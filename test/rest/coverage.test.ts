/**
 * The REST coverage table cannot drift: every route the facade serves is in it and nothing else,
 * every tool it names exists, and the README shows exactly that table.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { demoState } from '../../src/demo/state.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import { createRestApp } from '../../src/rest/app.js';
import { REST_COVERAGE, withRestTable } from '../../src/rest/coverage.js';
import { ALL_TOOLS } from '../../src/tools/index.js';

/** `GET escalation_chains/<id>/` for every method-and-path the facade answers with something other than 405. */
function servedRoutes(): string[] {
  const engine = new MemoryBackend({ state: demoState() });
  const app = createRestApp({ backend: engine, token: 'unused', inboundAlerts: engine });
  const out = new Set<string>();
  for (const r of app.routes) {
    if (r.method === 'ALL' || !r.path.startsWith('/api/v1/')) continue;
    const path = `${r.path.slice('/api/v1/'.length).replace(/:id/g, '<id>')}/`;
    out.add(`${r.method === 'PATCH' ? 'PUT' : r.method} ${path}`);
  }
  // users/current is a route of its own, listed before users/<id>.
  return [...out].sort();
}

function tableRoutes(): string[] {
  return [...new Set(REST_COVERAGE.map((r) => `${r.methods.split(',')[0]!.trim()} ${r.path}`))].sort();
}

describe('REST coverage table', () => {
  it('lists exactly the routes the facade serves', () => {
    expect(tableRoutes()).toEqual(servedRoutes());
  });

  it('names only tools the server has', () => {
    const names = new Set(ALL_TOOLS.map((t) => t.name));
    for (const row of REST_COVERAGE) for (const tool of row.tools) expect(names.has(tool), `${row.path}: ${tool}`).toBe(true);
  });

  it('is what the README shows', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain('<!-- rest:start');
    expect(withRestTable(readme)).toBe(readme);
  });
});
