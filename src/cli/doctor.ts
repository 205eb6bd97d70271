/**
 * `oncall-mcp doctor`: check the connection to a live OnCall before anything else. It prints the
 * Grafana URL, how the OnCall API URL was found, how the token is sent and its kind, Cloud IRM or
 * self-hosted, the clock skew, and the tools this connection cannot serve as they are. Exit 0 when
 * the connection works, 1 when it does not (the line says why and how to fix it). The token is
 * never printed.
 */
import { selectTools } from '../server.js';
import { accessResult, formatAccess } from '../tools/check-access.js';
import { buildBackend } from './backend.js';
import type { Options } from './options.js';

type Write = (line: string) => void;

export async function doctor(options: Options, out: Write, err: Write): Promise<number> {
  const { backend, source } = await buildBackend(options, err);
  try {
    if (!backend.access) {
      out(`${source}: the embedded engine; every tool works and there is no connection to check.`);
      out('For a live OnCall: --grafana-url (GRAFANA_URL) and ONCALL_API_TOKEN, or --api-url (ONCALL_API_URL).');
      return 0;
    }
    const selection = { readOnly: options.readOnly, ...(options.toolsets ? { toolsets: options.toolsets } : {}) };
    const tools = selectTools(selection);
    const report = accessResult(await backend.access(tools.map((t) => t.name)));
    if (options.json) {
      out(JSON.stringify(report, null, 2));
      return report.ok ? 0 : 1;
    }
    const special = report.tools.filter((t) => t.verdict !== 'works' || t.why);
    out(formatAccess({ ...report, tools: special }));
    if (report.ok) {
      const count = (v: string) => report.tools.filter((t) => t.verdict === v).length;
      const local = count('computed locally');
      const computed = local ? `, ${local} ${local === 1 ? 'is' : 'are'} computed locally` : '';
      const cannot = count('refused') + count('not available');
      out('');
      out(`${count('works')} of ${report.tools.length} tools work as they are${computed}; ${cannot} cannot with this connection.`);
    }
    return report.ok ? 0 : 1;
  } finally {
    await (backend as { close?: () => Promise<void> }).close?.();
  }
}
