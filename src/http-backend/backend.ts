/**
 * `OnCallBackend` over Grafana OnCall / Cloud IRM's HTTP API v1. Each method is one request; list
 * queries pass straight through as query parameters. Updates use PATCH (a partial update, like the
 * tools' "fields left out stay"), except when PUT is asked for.
 */
import type { AlertSimulationOptions, OnCallBackend, Sandbox, SimulationOptions, UpdateMode } from '../api/backend.js';
import { ApiError, type ResourceKind } from '../api/errors.js';
import type * as z from 'zod';
import { collectAll, type Page, pageSchema } from '../api/pagination.js';
import {
  type ChainOnCall,
  EscalationChain,
  EscalationPolicy,
  Integration,
  OnCallShift,
  Route,
  Schedule,
  type Simulation,
  type AlertSimulation,
  type Organization,
  type SlackChannel,
  type TimelineItem,
  Webhook,
  type WebhookResponse,
} from '../api/types.js';
import { checkShape } from './shapes.js';
import { type ClientOptions, HttpClient } from './client.js';
import type { AccessReport } from '../api/backend.js';
import { type Capabilities, probeCapabilities, toolVerdicts } from './capabilities.js';
import { serviceAccountRefusal } from './refusals.js';
import { fetchChainSnapshot } from './snapshot.js';
import { fetchOrgSnapshot } from './org-snapshot.js';

/**
 * An id as a URL path segment. OnCall's public ids are letters and digits; anything else (`..`,
 * `a/b`, `?x`, percent-escapes) could reach another endpoint of the live API, so it is refused here,
 * before any request is made.
 */
export function pathId(value: string): string {
  if (/^[A-Za-z0-9_-]{1,64}$/.test(value)) return value;
  const shown = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  throw new ApiError(400, { detail: `${shown} is not a valid id: ids are letters and digits, e.g. F5JU6KJET33FE.` });
}

/** The message for a Cloud IRM endpoint this OnCall does not have. */
export function computedLocally(endpoint: string, gaps: readonly string[]): string {
  return `Computed locally by oncall-mcp: this OnCall has no ${endpoint} endpoint (self-hosted OnCall), so the chain, `
    + 'its steps and the final shifts of its schedules were fetched and resolved with the embedded engine\'s logic. '
    + 'Round robins show their first person (OnCall does not publish the live position).'
    + (gaps.length ? ` Could not read: ${gaps.join(', ')}.` : '');
}

export function endpointAbsent(endpoint: string): string {
  return `This Grafana OnCall has no ${endpoint} endpoint: it is a Grafana Cloud IRM endpoint, and self-hosted `
    + 'OnCall (the open-source release) does not serve it. The object exists; only the endpoint is missing.';
}

function crud<T>(client: HttpClient, path: string, kind: ResourceKind, shape?: z.ZodType) {
  const missing = (id: string) => ({ kind, id });
  const page = shape ? pageSchema(shape) : undefined;
  return {
    list: async (query: object) => {
      const out = await client.request<Page<T>>('GET', `${path}/`, { query: query as Record<string, unknown> });
      return page ? checkShape(page, out, 'GET', `${path}/`) : out;
    },
    get: async (id: string) => {
      const out = await client.request<T>('GET', `${path}/${pathId(id)}/`, { missing: missing(id) });
      return shape ? checkShape(shape, out, 'GET', `${path}/${id}/`) : out;
    },
    create: async (body: unknown) => client.request<T>('POST', `${path}/`, { body }),
    update: async (id: string, body: unknown, mode: UpdateMode = 'patch') =>
      client.request<T>(mode === 'put' ? 'PUT' : 'PATCH', `${path}/${pathId(id)}/`, {
        body,
        missing: missing(id),
      }),
    delete: async (id: string) => {
      await client.request<void>('DELETE', `${path}/${pathId(id)}/`, { missing: missing(id) });
    },
  };
}

export class HttpBackend implements OnCallBackend {
  readonly kind = 'http' as const;
  readonly client: HttpClient;
  readonly escalationChains: OnCallBackend['escalationChains'];
  readonly escalationPolicies: OnCallBackend['escalationPolicies'];
  readonly integrations: OnCallBackend['integrations'];
  readonly routes: OnCallBackend['routes'];
  readonly schedules: OnCallBackend['schedules'];
  readonly onCallShifts: OnCallBackend['onCallShifts'];
  readonly shiftSwaps: OnCallBackend['shiftSwaps'];
  readonly alertGroups: OnCallBackend['alertGroups'];
  readonly alerts: OnCallBackend['alerts'];
  readonly escalation: OnCallBackend['escalation'];
  readonly resolutionNotes: OnCallBackend['resolutionNotes'];
  readonly personalNotificationRules: OnCallBackend['personalNotificationRules'];
  readonly organization: OnCallBackend['organization'];
  readonly users: OnCallBackend['users'];
  readonly teams: OnCallBackend['teams'];
  readonly userGroups: OnCallBackend['userGroups'];
  readonly webhooks: OnCallBackend['webhooks'];
  private readonly clock: () => number;
  /** Set once the simulation endpoint (oncall-mcp's own REST API only) turned out to be absent. */
  private noSimulationEndpoint = false;
  /** The same for oncall-mcp's alert simulation endpoint. */
  private noAlertSimulationEndpoint = false;
  /** Whether personal notification rules can be read with this token (API keys only), and why not. */
  private rulesReadable: boolean | undefined;
  private rulesProblem = '';
  /** Whether the Cloud IRM on-call endpoints exist here: learnt on first use, then kept. */
  cloudEndpoints: 'present' | 'absent' | undefined;

  /**
   * `now`: what "now" is for answers; a live OnCall answers for the present, so the host clock by
   * default (the parity tests pass the engine's virtual clock that the facade serves).
   */
  constructor(options: ClientOptions & { now?: () => number }) {
    const { now, ...clientOptions } = options;
    this.clock = now ?? (() => Date.now());
    const c = (this.client = new HttpClient(clientOptions));
    const id = pathId;
    const chains = crud<never>(c, 'escalation_chains', 'escalation_chain', EscalationChain);
    /**
     * A Cloud-only endpoint: self-hosted OnCall has no such route and answers 404 for every id. The
     * 404 alone cannot say which is missing, so the chain itself is looked up: if it exists, the
     * endpoint is what is absent, and the error says so instead of "no chain with this id".
     */
    const cloudOnly = async (
      endpoint: string,
      chain: string,
      days: number,
      call: () => Promise<ChainOnCall>,
      local: (engine: OnCallBackend) => Promise<ChainOnCall>,
    ): Promise<ChainOnCall> => {
      if (this.cloudEndpoints !== 'absent') {
        try {
          const out = await call();
          this.cloudEndpoints = 'present';
          return out;
        } catch (err) {
          if (!(err instanceof ApiError) || err.status !== 404) throw err;
          await chains.get(chain); // a missing chain is still "no chain with this id"
          this.cloudEndpoints = 'absent';
        }
      }
      return this.computeLocally(endpoint, chain, days, local);
    };
    const daysOf = (window: { days?: number | undefined }) => {
      const days = Number(window.days ?? 7);
      if (!Number.isInteger(days) || days < 1 || days > 30) {
        throw new ApiError(400, { days: ['Ensure this value is between 1 and 30.'] });
      }
      return days;
    };
    this.escalationChains = {
      ...chains,
      currentOncall: async (chain) =>
        cloudOnly(
          'current_oncall',
          chain,
          1,
          () => c.request('GET', `escalation_chains/${id(chain)}/current_oncall/`, { missing: { kind: 'escalation_chain', id: chain } }),
          (engine) => engine.escalationChains.currentOncall(chain),
        ),
      previousOncall: async (chain, window) =>
        cloudOnly(
          'previous_oncall',
          chain,
          daysOf(window),
          () =>
            c.request('GET', `escalation_chains/${id(chain)}/previous_oncall/`, {
              query: { days: window.days },
              missing: { kind: 'escalation_chain', id: chain },
            }),
          (engine) => engine.escalationChains.previousOncall(chain, { days: daysOf(window) }),
        ),
      nextOncall: async (chain, window) =>
        cloudOnly(
          'next_oncall',
          chain,
          daysOf(window),
          () =>
            c.request('GET', `escalation_chains/${id(chain)}/next_oncall/`, {
              query: { days: window.days },
              missing: { kind: 'escalation_chain', id: chain },
            }),
          (engine) => engine.escalationChains.nextOncall(chain, { days: daysOf(window) }),
        ),
      simulate: async (chain, options) => {
        await chains.get(chain);
        if (!this.noSimulationEndpoint) {
          try {
            return await c.request('POST', `escalation_chains/${id(chain)}/oncall_mcp_simulate/`, { body: options });
          } catch (err) {
            // Only oncall-mcp's own REST API has this endpoint; a live OnCall is simulated here.
            if (!(err instanceof ApiError && (err.status === 404 || err.status === 405))) throw err;
            this.noSimulationEndpoint = true;
          }
        }
        return this.simulateLocally(chain, options);
      },
    };
    const policies = crud<never>(c, 'escalation_policies', 'escalation_policy', EscalationPolicy);
    this.escalationPolicies = {
      ...policies,
      advanceRoundRobin: async (policy) => {
        try {
          return await c.request('POST', `escalation_policies/${id(policy)}/advance_round_robin/`, {
            missing: { kind: 'escalation_policy', id: policy },
          });
        } catch (err) {
          if (!(err instanceof ApiError) || err.status !== 404) throw err;
          await policies.get(policy);
          throw new ApiError(404, { detail: endpointAbsent('advance_round_robin') });
        }
      },
    };
    const integrations = crud<Integration>(c, 'integrations', 'integration', Integration);
    this.integrations = {
      ...integrations,
      simulateAlert: async (integration, options) => {
        const found = await integrations.get(integration);
        if (!this.noAlertSimulationEndpoint) {
          try {
            return await c.request('POST', `integrations/${id(integration)}/oncall_mcp_simulate_alert/`, { body: options });
          } catch (err) {
            // Only oncall-mcp's own REST API has this endpoint; a live OnCall is simulated here.
            if (!(err instanceof ApiError && (err.status === 404 || err.status === 405))) throw err;
            this.noAlertSimulationEndpoint = true;
          }
        }
        return this.simulateAlertLocally(found, options);
      },
      startMaintenance: async (integration, body) =>
        c.request('POST', `integrations/${id(integration)}/maintenance_start/`, {
          body,
          missing: { kind: 'integration', id: integration },
        }),
      stopMaintenance: async (integration) =>
        c.request('POST', `integrations/${id(integration)}/maintenance_stop/`, {
          missing: { kind: 'integration', id: integration },
        }),
    };
    this.routes = crud(c, 'routes', 'route', Route);
    this.schedules = {
      ...crud(c, 'schedules', 'schedule', Schedule),
      finalShifts: async (schedule, query) =>
        c.request('GET', `schedules/${id(schedule)}/final_shifts/`, {
          query: { ...query },
          missing: { kind: 'schedule', id: schedule },
        }),
    };
    this.onCallShifts = crud(c, 'on_call_shifts', 'on_call_shift', OnCallShift);
    const swaps = crud<never>(c, 'shift_swaps', 'shift_swap');
    this.shiftSwaps = {
      list: swaps.list,
      get: async (swap, query) =>
        c.request('GET', `shift_swaps/${id(swap)}/`, { query: { ...query }, missing: { kind: 'shift_swap', id: swap } }),
      create: swaps.create,
      update: swaps.update,
      delete: swaps.delete,
      take: async (swap, body) =>
        c.request('POST', `shift_swaps/${id(swap)}/take/`, { body, missing: { kind: 'shift_swap', id: swap } }),
    };
    const groups = crud<never>(c, 'alert_groups', 'alert_group');
    this.alertGroups = {
      list: groups.list,
      get: groups.get,
      timeline: async (group) => {
        await groups.get(group);
        try {
          const out = await c.request<{ results: TimelineItem[] }>('GET', `alert_groups/${id(group)}/oncall_mcp_timeline/`);
          return out.results;
        } catch (err) {
          // A live OnCall does not publish alert-group logs through its public API.
          if (err instanceof ApiError && err.status === 404) return [];
          throw err;
        }
      },
      action: async (group, action, body) => {
        if (c.staticFacts().tokenKind === 'service-account') {
          throw new ApiError(403, serviceAccountRefusal(c.requestFacts('POST', `alert_groups/${group}/${action}/`), action));
        }
        await c.request<void>('POST', `alert_groups/${id(group)}/${action}/`, {
          body: body ?? {},
          missing: { kind: 'alert_group', id: group },
        });
      },
      delete: async (group, body) => {
        await c.request<void>('DELETE', `alert_groups/${id(group)}/`, { body, missing: { kind: 'alert_group', id: group } });
      },
    };
    this.alerts = { list: async (query) => c.request('GET', 'alerts/', { query: { ...query } }) };
    this.escalation = {
      create: async (body) => {
        if (c.staticFacts().tokenKind === 'service-account') {
          throw new ApiError(403, serviceAccountRefusal(c.requestFacts('POST', 'escalation/')));
        }
        return c.request('POST', 'escalation/', { body });
      },
    };
    this.resolutionNotes = crud(c, 'resolution_notes', 'resolution_note');
    this.personalNotificationRules = crud(c, 'personal_notification_rules', 'personal_notification_rule');
    this.organization = {
      info: async () => c.request<{ url: string }>('GET', 'info/'),
      // Any id will do: OnCall answers for the token's organisation whatever the path says.
      get: async () => c.request<Organization>('GET', 'organizations/current/'),
      slackChannels: async (query) => c.request<Page<SlackChannel>>('GET', 'slack_channels/', { query: query as Record<string, unknown> }),
    };
    const users = crud<never>(c, 'users', 'user');
    this.users = { list: users.list, get: users.get, current: async () => c.request('GET', 'users/current/') };
    const teams = crud<never>(c, 'teams', 'team');
    this.teams = { list: teams.list, get: teams.get };
    this.userGroups = { list: async (query) => c.request('GET', 'user_groups/', { query: { ...query } }) };
    const hooks = crud<never>(c, 'webhooks', 'webhook', Webhook);
    this.webhooks = {
      ...hooks,
      responses: async (hook, query) =>
        c.request<Page<WebhookResponse>>('GET', `webhooks/${id(hook)}/responses/`, {
          query: query as Record<string, unknown>,
          missing: { kind: 'webhook', id: hook },
        }),
    };
  }

  now(): number {
    return this.clock();
  }

  /**
   * Dry runs on a live organisation: the engine over a copy of its configuration (org-snapshot.ts),
   * read with GETs only; the copy is thrown away after the call.
   */
  async sandbox(): Promise<Sandbox> {
    const snapshot = await fetchOrgSnapshot(this, this.now());
    const { snapshotEngine, SnapshotError } = await import('../engine/index.js');
    try {
      return { backend: snapshotEngine(snapshot.data as never, this.now()), limits: snapshot.limits };
    } catch (err) {
      if (!(err instanceof SnapshotError)) throw err;
      throw new ApiError(502, {
        detail: `A dry run could not copy the live configuration into the engine (${err.problems.slice(0, 3).join('; ')}); nothing was changed.`,
      });
    }
  }

  /**
   * simulate_escalation on a live organisation: the engine's runtime over a snapshot of the chain's
   * configuration (snapshot.ts) with the people's personal notification rules where this token may
   * read them. Nothing is sent and nothing upstream is changed: only reads are made.
   */
  private async simulateLocally(chain: string, options: SimulationOptions): Promise<Simulation> {
    const at = options.at === undefined ? this.now() : Date.parse(options.at);
    if (Number.isNaN(at)) throw new ApiError(400, { at: ['Datetime has wrong format. Use a zoned ISO instant.'] });
    const rulesRead: string[] = [];
    const snapshot = await fetchChainSnapshot(this, chain, {
      at,
      days: 7,
      notificationRules: async (user) => {
        const rules = await this.personalRules(user);
        if (rules) rulesRead.push(user);
        return rules;
      },
    });
    const { snapshotEngine, SnapshotError } = await import('../engine/index.js');
    let engine: OnCallBackend;
    let rulesNote: string;
    try {
      engine = snapshotEngine(snapshot.data as never, this.now());
      rulesNote = this.rulesReadable === false
        ? `Personal notification rules could not be read (${this.rulesProblem}), so each person shows no personal steps.`
        : `Personal notification rules read for ${rulesRead.length} people.`;
    } catch (err) {
      if (!(err instanceof SnapshotError)) throw err;
      // A rule this engine does not know (a channel OnCall added): simulate without personal rules.
      const data = snapshot.data as { users: Array<Record<string, unknown>> };
      for (const u of data.users) delete u.notification_rules;
      try {
        engine = snapshotEngine(data as never, this.now());
      } catch (again) {
        if (!(again instanceof SnapshotError)) throw again;
        throw new ApiError(502, {
          detail: `Simulating the live configuration failed: it did not load into the engine (${again.problems.slice(0, 3).join('; ')}).`,
        });
      }
      rulesNote = `Personal notification rules left out: ${err.problems.slice(0, 2).join('; ')}.`;
    }
    const out = await engine.escalationChains.simulate(chain, options);
    return {
      ...out,
      computed: 'A simulation of the live configuration by oncall-mcp: the chain, its steps, the people, groups and '
        + 'final shifts were fetched and run through the embedded engine; nothing was sent and the live '
        + `organisation was not changed. ${rulesNote}`
        + (snapshot.gaps.length ? ` Could not read: ${snapshot.gaps.join(', ')}.` : ''),
    };
  }

  /**
   * simulate_alert on a live organisation: the integration and its routes are fetched and the
   * engine's routing function runs over them locally (the same code as for the embedded engine);
   * the chosen chain is then simulated as simulate_escalation does. OnCall's API does not show
   * alert groups' grouping keys, so whether the alert would join an open group is left unknown,
   * and the answer says so.
   */
  private async simulateAlertLocally(
    integration: Integration,
    options: AlertSimulationOptions,
  ): Promise<AlertSimulation> {
    const routes: Route[] = await collectAll((page) => this.routes.list({ integration_id: integration.id, page }));
    const { simulateAlert, simulatedInstant } = await import('../engine/index.js');
    return simulateAlert({
      integration,
      routes,
      payload: options.payload,
      at: simulatedInstant(options.at, this.now()),
      openGroupWithKey: () => undefined,
      simulate: (chain, at) => this.escalationChains.simulate(chain, { at }),
    });
  }

  /** A user's personal notification rules (GET personal_notification_rules/), or undefined when unreadable. */
  private async personalRules(user: string): Promise<{ default: unknown[]; important: unknown[] } | undefined> {
    if (this.rulesReadable === false) return undefined;
    if (this.client.staticFacts().tokenKind === 'service-account') {
      // views/personal_notifications.py authenticates API keys only.
      this.rulesReadable = false;
      this.rulesProblem = 'OnCall serves them to API keys only, not to service accounts';
      return undefined;
    }
    try {
      type Rule = { position?: number; important?: boolean; type: string; duration?: number };
      const rules = await collectAll((page) =>
        this.client.request<Page<Rule>>('GET', 'personal_notification_rules/', { query: { user_id: user, page } }));
      this.rulesReadable = true;
      const ordered = [...rules].sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
      const shape = (r: Rule) => (r.type === 'wait' && r.duration !== undefined ? { type: r.type, duration: r.duration } : { type: r.type });
      return {
        default: ordered.filter((r) => !r.important).map(shape),
        important: ordered.filter((r) => r.important).map(shape),
      };
    } catch (err) {
      this.rulesReadable = false;
      this.rulesProblem = err instanceof ApiError ? `HTTP ${err.status} from personal_notification_rules` : 'no answer';
      return undefined;
    }
  }

  private probed: Promise<Capabilities> | undefined;

  async access(tools?: readonly string[]): Promise<AccessReport> {
    const caps = await this.capabilities();
    return { ...caps, tools: toolVerdicts(caps, tools) };
  }

  /** The capability probe, made once; a failed probe (no connection yet) is made again next time. */
  async capabilities(): Promise<Capabilities> {
    this.probed ??= probeCapabilities(this);
    const caps = await this.probed;
    if (!caps.ok) this.probed = undefined;
    return caps;
  }

  /**
   * Answer with the engine over a snapshot of the chain's live configuration (snapshot.ts). The
   * engine is loaded only here: a server that never needs it never loads it.
   */
  private async computeLocally(
    endpoint: string,
    chain: string,
    days: number,
    answer: (engine: OnCallBackend) => Promise<ChainOnCall>,
  ): Promise<ChainOnCall> {
    const at = this.now();
    const snapshot = await fetchChainSnapshot(this, chain, { at, days });
    const { snapshotEngine, SnapshotError } = await import('../engine/index.js');
    let engine: OnCallBackend;
    try {
      engine = snapshotEngine(snapshot.data as never, at);
    } catch (err) {
      if (!(err instanceof SnapshotError)) throw err;
      throw new ApiError(502, {
        detail: `This OnCall has no ${endpoint} endpoint, and computing it locally failed: the fetched configuration `
          + `did not load into the engine (${err.problems.slice(0, 3).join('; ')}).`,
      });
    }
    const out = await answer(engine);
    return { ...out, computed: computedLocally(endpoint, snapshot.gaps) };
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
