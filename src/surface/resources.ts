/**
 * The organisation as MCP resources, for clients that show or attach data rather than call tools:
 *
 * - `oncall://directory`: users, teams, schedules, chains, integrations, user groups, webhooks (ids
 *   and names, from the directory index);
 * - `oncall://alert-groups/{alert_group_id}`: an alert group with its timeline;
 * - `oncall://escalation-chains/{escalation_chain_id}`: a chain with its steps;
 * - `oncall://schedules/{schedule_id}/shifts`: a schedule's final shifts, today and the next 7 days.
 *
 * Each is read through the same pipeline as its tool (names resolved, text finished and masked),
 * and has two contents: the tool's text (for a model) and its structured result as JSON. Template
 * variables complete from the directory index, names to ids. Listing every resource and template
 * works in every tool selection: resources only read.
 *
 * Subscriptions (resources/subscribe): the server re-reads each subscribed resource when the
 * backend says it changed (the embedded engine's change feed: requests and the escalation
 * runtime's own steps) or, on a backend without one (a live OnCall), every `pollMs` while anything
 * is subscribed, and sends notifications/resources/updated when what it reads differs.
 */
import { ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  type CallToolResult,
  ErrorCode,
  McpError,
  type ReadResourceResult,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { execute, type Extra, type Session } from './session.js';
import type { AnyTool } from '../tools/define.js';
import { getEscalationChain } from '../tools/escalation-chains.js';
import { REF_KINDS, type RefKind } from '../tools/lookup/directory-index.js';
import { getAlertGroup } from '../tools/paging.js';
import { listScheduleShifts } from '../tools/schedules.js';
import { completeIds } from './complete.js';

export const DIRECTORY_URI = 'oncall://directory';

const DAY_MS = 86_400_000;

interface ToolResource {
  name: string;
  title: string;
  description: string;
  template: string;
  /** The URI of one object. */
  uri(id: string): string;
  /** The URI's id, or undefined when the URI is not one of these. */
  idOf(uri: string): string | undefined;
  tool: AnyTool;
  args(id: string, now: number): Record<string, unknown>;
}

const toolResource = (
  r: Omit<ToolResource, 'uri' | 'idOf'> & { prefix: string; suffix?: string },
): ToolResource => ({
  ...r,
  uri: (id) => `${r.prefix}${encodeURIComponent(id)}${r.suffix ?? ''}`,
  idOf: (uri) => {
    if (!uri.startsWith(r.prefix) || !uri.endsWith(r.suffix ?? '')) return undefined;
    const id = uri.slice(r.prefix.length, uri.length - (r.suffix ?? '').length);
    return id && !id.includes('/') ? decodeURIComponent(id) : undefined;
  },
});

const ALERT_GROUP = toolResource({
  name: 'alert-group',
  title: 'Alert group',
  description: 'An alert group: state, last payload, resolution notes and its timeline. Subscribe to follow it.',
  template: 'oncall://alert-groups/{alert_group_id}',
  prefix: 'oncall://alert-groups/',
  tool: getAlertGroup,
  args: (id) => ({ alert_group_id: id }),
});

const CHAIN = toolResource({
  name: 'escalation-chain',
  title: 'Escalation chain',
  description: 'An escalation chain with its steps in order.',
  template: 'oncall://escalation-chains/{escalation_chain_id}',
  prefix: 'oncall://escalation-chains/',
  tool: getEscalationChain,
  args: (id) => ({ escalation_chain_id: id }),
});

const SCHEDULE_SHIFTS = toolResource({
  name: 'schedule-shifts',
  title: 'Schedule: final shifts',
  description: 'Who is on call when in a schedule, from today (UTC) for 8 days: every layer, override and swap resolved.',
  template: 'oncall://schedules/{schedule_id}/shifts',
  prefix: 'oncall://schedules/',
  suffix: '/shifts',
  tool: listScheduleShifts,
  args: (id, now) => {
    const today = new Date(now).toISOString().slice(0, 10);
    const end = new Date(Date.parse(today) + 8 * DAY_MS).toISOString().slice(0, 10);
    return { schedule_id: id, start_date: today, end_date: end };
  },
});

const TOOL_RESOURCES = [ALERT_GROUP, CHAIN, SCHEDULE_SHIFTS];

/** Words for the directory's kinds, as its JSON keys and text headings. */
const DIRECTORY_KEYS: Record<RefKind, string> = {
  user: 'users',
  team: 'teams',
  schedule: 'schedules',
  chain: 'escalation_chains',
  integration: 'integrations',
  userGroup: 'user_groups',
  webhook: 'webhooks',
  shift: 'on_call_shifts',
};

export interface ResourceOptions {
  pollMs?: number;
}

export function registerResources(session: Session, options: ResourceOptions = {}): void {
  const { server, index, backend } = session;

  server.registerResource(
    'directory',
    DIRECTORY_URI,
    {
      title: 'Directory',
      description: 'Every user, team, schedule, chain, integration, user group, webhook and shift: ids and names.',
      mimeType: 'application/json',
    },
    async (uri) => directoryContents(session, uri.href),
  );

  const lists: Record<string, () => Promise<Array<{ uri: string; name: string }>>> = {
    [ALERT_GROUP.name]: async () =>
      (await backend.alertGroups.list({})).results.map((g) => ({ uri: ALERT_GROUP.uri(g.id), name: `${g.id} ${g.title ?? ''}`.trim() })),
    [CHAIN.name]: async () => (await index.entries('chain')).map((e) => ({ uri: CHAIN.uri(e.id), name: e.name })),
    [SCHEDULE_SHIFTS.name]: async () =>
      (await index.entries('schedule')).map((e) => ({ uri: SCHEDULE_SHIFTS.uri(e.id), name: e.name })),
  };
  const completions: Record<string, (typed: string) => Promise<string[]>> = {
    // Alert groups have no names: the newest page's ids that start with what was typed.
    [ALERT_GROUP.name]: async (typed) => {
      const ids = (await backend.alertGroups.list({})).results.map((g) => g.id);
      return ids.filter((id) => id.startsWith(typed.trim().toUpperCase()));
    },
    [CHAIN.name]: (typed) => completeIds(index, ['chain'], typed),
    [SCHEDULE_SHIFTS.name]: (typed) => completeIds(index, ['schedule'], typed),
  };
  for (const r of TOOL_RESOURCES) {
    const variable = /\{(\w+)\}/.exec(r.template)![1]!;
    server.registerResource(
      r.name,
      new ResourceTemplate(r.template, {
        list: async () => ({ resources: await lists[r.name]!() }),
        complete: { [variable]: (typed) => completions[r.name]!(typed) },
      }),
      { title: r.title, description: r.description, mimeType: 'application/json' },
      async (uri, _variables, extra) => readToolResource(session, r, r.idOf(uri.href) ?? '', extra),
    );
  }

  const watch = new ResourceWatch(session, options.pollMs ?? 30_000);
  server.server.registerCapabilities({ resources: { subscribe: true } });
  server.server.setRequestHandler(SubscribeRequestSchema, async (request, extra) => {
    await watch.subscribe(request.params.uri, extra);
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, async (request) => {
    watch.unsubscribe(request.params.uri);
    return {};
  });
  const closed = server.server.onclose;
  server.server.onclose = () => {
    watch.close();
    closed?.();
  };
}

async function directoryContents(session: Session, uri: string): Promise<ReadResourceResult> {
  const data: Record<string, Array<{ id: string; name: string }>> = {};
  const lines: string[] = [];
  for (const kind of REF_KINDS) {
    const entries = await session.index.entries(kind);
    data[DIRECTORY_KEYS[kind]] = entries.map((e) => ({ id: e.id, name: e.name }));
    lines.push(`${DIRECTORY_KEYS[kind]}: ${entries.map((e) => `${e.name} (${e.id})`).join(', ') || 'none'}`);
  }
  return {
    contents: [
      { uri, mimeType: 'text/plain', text: lines.join('\n') },
      { uri, mimeType: 'application/json', text: JSON.stringify(data) },
    ],
  };
}

async function readToolResource(
  session: Session,
  r: ToolResource,
  id: string,
  extra: Extra,
): Promise<ReadResourceResult> {
  const result = await execute(session, r.tool, r.args(id, session.backend.now()), extra);
  return contentsOf(r.uri(id), result);
}

function contentsOf(uri: string, result: CallToolResult): ReadResourceResult {
  const text = (result.content as Array<{ type: string; text?: string }>).map((c) => c.text ?? '').join('\n');
  // MCP's "resource not found"; the message is the tool's explained error.
  if (result.isError) throw new McpError(-32002 as ErrorCode, text);
  return {
    contents: [
      { uri, mimeType: 'text/plain', text },
      { uri, mimeType: 'application/json', text: JSON.stringify(result.structuredContent) },
    ],
  };
}

/** Resolve a URI to what reads it, or undefined for a URI that is none of ours. */
function readerOf(session: Session, uri: string): ((extra: Extra) => Promise<ReadResourceResult>) | undefined {
  if (uri === DIRECTORY_URI) return () => directoryContents(session, uri);
  for (const r of TOOL_RESOURCES) {
    const id = r.idOf(uri);
    if (id) return (extra) => readToolResource(session, r, id, extra);
  }
  return undefined;
}

/**
 * The subscribed resources of one session and what each read as last; re-read on the backend's
 * change feed, or on a timer when it has none.
 */
class ResourceWatch {
  private readonly last = new Map<string, string>();
  private unfollow: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  private again = false;
  private readonly controller = new AbortController();

  constructor(
    private readonly session: Session,
    private readonly pollMs: number,
  ) {}

  async subscribe(uri: string, extra: Extra): Promise<void> {
    const read = readerOf(this.session, uri);
    if (!read) throw new McpError(ErrorCode.InvalidParams, `No such resource: ${uri}`);
    this.last.set(uri, await this.fingerprint(read, extra));
    this.follow();
  }

  unsubscribe(uri: string): void {
    this.last.delete(uri);
    if (!this.last.size) this.stop();
  }

  close(): void {
    this.last.clear();
    this.stop();
    this.controller.abort();
  }

  private follow(): void {
    if (this.unfollow || this.timer) return;
    const feed = this.session.backend.changes;
    if (feed) this.unfollow = feed.subscribe(() => this.check());
    else {
      this.timer = setInterval(() => this.check(), this.pollMs);
      this.timer.unref();
    }
  }

  private stop(): void {
    this.unfollow?.();
    this.unfollow = undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Re-read everything subscribed; changes during a check run one more check after it. */
  private check(): void {
    if (this.checking) {
      this.again = true;
      return;
    }
    this.checking = this.checkAll().finally(() => {
      this.checking = undefined;
      if (this.again) {
        this.again = false;
        this.check();
      }
    });
  }

  private async checkAll(): Promise<void> {
    const extra = { signal: this.controller.signal } as Extra;
    for (const [uri, before] of [...this.last]) {
      const read = readerOf(this.session, uri)!;
      let now: string;
      try {
        now = await this.fingerprint(read, extra);
      } catch (err) {
        // Gone (deleted) or unreadable for now: say it changed once; a later read may work again.
        now = `unreadable: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
      }
      if (now === before || !this.last.has(uri)) continue;
      this.last.set(uri, now);
      try {
        await this.session.server.server.sendResourceUpdated({ uri });
        void this.session.notify('debug', 'resources', `updated ${uri}`);
      } catch {
        this.close(); // the client is gone
        return;
      }
    }
  }

  /** What the resource reads as now, as the structured content (the text also carries "now"). */
  private async fingerprint(read: (extra: Extra) => Promise<ReadResourceResult>, extra: Extra): Promise<string> {
    const { contents } = await read(extra);
    const json = contents.find((c) => c.mimeType === 'application/json');
    return json && 'text' in json ? json.text : JSON.stringify(contents);
  }
}

/** Every resource's URI template, for docs and tests. */
export const RESOURCE_TEMPLATES = TOOL_RESOURCES.map((r) => r.template);
