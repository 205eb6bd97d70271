/**
 * The embedded engine behind the `OnCallBackend` contract. Each resource module works on the same
 * context; `commit()` runs after every successful mutation (that is where `--persist` writes).
 */
import type { BackendLifecycle, ChangeFeed, InboundAlerts, OnCallBackend, Sandbox } from '../api/backend.js';
import { notFound } from '../api/errors.js';
import { AlertIntake } from './alerting/alert-intake.js';
import { ingestAlert } from './alerting/alerts.js';
import { checkAlertPayload } from './core/bounds.js';
import { type Clock, systemClock, VirtualClock } from './core/clock.js';
import { copyForSimulation } from './simulation.js';
import { createContext, type EngineContext, type StateStore } from './core/context.js';
import { teams, userGroups, users } from './directory/directory.js';
import { webhooks } from './directory/webhooks.js';
import { alertGroups } from './alerting/alert-groups.js';
import { escalationChains } from './escalation/escalation-chains.js';
import { escalationPolicies } from './escalation/escalation-policies.js';
import { integrations } from './alerting/integrations.js';
import { findIntegrationByToken } from './alerting/integration-tokens.js';
import { onCallShifts } from './schedules/on-call-shifts.js';
import { escalation } from './alerting/paging.js';
import { alerts } from './alerting/alerts-resource.js';
import { resolutionNotes } from './alerting/resolution-notes.js';
import { personalNotificationRules } from './directory/personal-notification-rules.js';
import { organization } from './directory/organization.js';
import { Runtime } from './runtime/runtime.js';
import { routes } from './alerting/routes.js';
import { schedules } from './schedules/schedules.js';
import { shiftSwaps } from './schedules/shift-swaps.js';
import type { State } from './core/state.js';
import { WebhookSender, type WebhookSenderOptions } from './runtime/webhook-sender.js';

export interface MemoryBackendOptions {
  state: State;
  clock?: Clock;
  /** Base of pagination links and integration URLs. */
  publicUrl?: string;
  /** Where commits are saved (`--persist`); without one the state lives in memory only. */
  store?: StateStore;
  /** Outgoing webhooks: the address guard's allow-list (`--webhook-allow`), and test seams. */
  webhooks?: WebhookSenderOptions;
}

export const DEFAULT_PUBLIC_URL = 'http://localhost:8080';

export class MemoryBackend implements OnCallBackend {
  readonly kind = 'memory' as const;
  readonly ctx: EngineContext;
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
  /** Runs escalations and personal notifications on the engine clock. */
  readonly runtime: Runtime;
  readonly webhookSender: WebhookSender;
  readonly users: OnCallBackend['users'];
  readonly teams: OnCallBackend['teams'];
  readonly userGroups: OnCallBackend['userGroups'];
  readonly webhooks: OnCallBackend['webhooks'];

  readonly lifecycle: BackendLifecycle;
  readonly inbound: InboundAlerts = this;
  readonly changes: ChangeFeed;
  private readonly store: StateStore | undefined;
  private readonly listeners = new Set<() => void>();
  /** Inbound alerts over HTTP, committed a turn's worth at a time (`takeAlert`). */
  private readonly intake = new AlertIntake(
    () => this.ctx.commit([]),
    () => this.afterAlerts(),
  );

  constructor(opts: MemoryBackendOptions) {
    const { state } = opts;
    this.store = opts.store;
    this.ctx = createContext({
      state,
      clock: opts.clock ?? systemClock,
      publicUrl: opts.publicUrl ?? DEFAULT_PUBLIC_URL,
      store: opts.store,
      // Listeners run after the commit's caller is done, never inside a request or a runtime step.
      onCommit: () => {
        if (this.listeners.size) queueMicrotask(() => this.listeners.forEach((listener) => listener()));
      },
    });
    this.changes = {
      subscribe: (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
    };
    this.escalationChains = escalationChains(this.ctx);
    this.escalationPolicies = escalationPolicies(this.ctx);
    this.integrations = integrations(this.ctx);
    this.routes = routes(this.ctx);
    this.schedules = schedules(this.ctx);
    this.onCallShifts = onCallShifts(this.ctx);
    this.shiftSwaps = shiftSwaps(this.ctx);
    this.webhookSender = new WebhookSender(this.ctx, opts.webhooks);
    this.runtime = new Runtime(this.ctx, (group, webhookId, at) => this.webhookSender.trigger(group, webhookId, at));
    this.alertGroups = alertGroups(this.ctx, this.runtime);
    this.alerts = alerts(this.ctx);
    this.escalation = escalation(this.ctx, this.runtime);
    this.resolutionNotes = resolutionNotes(this.ctx);
    this.personalNotificationRules = personalNotificationRules(this.ctx);
    this.organization = organization(this.ctx);
    this.users = users(this.ctx);
    this.teams = teams(this.ctx);
    this.userGroups = userGroups(this.ctx);
    this.webhooks = webhooks(this.ctx);
    this.lifecycle = {
      start: () => this.runtime.startTimer(),
      catchUp: () => {
        this.runtime.runDue();
      },
      stop: async (graceMs) => {
        this.intake.flush(); // alerts taken but not yet committed are committed (or refused) now
        this.runtime.stopTimer();
        await withinGrace(this.webhookSender.settled(), graceMs);
        await this.webhookSender.close();
        this.store?.flush?.(); // a background save that failed and is waiting for its retry
        const saved = this.store?.saved ?? true;
        this.store?.close?.();
        return saved;
      },
    };
  }

  /**
   * The integration an inbound alert URL `/integrations/v1/<type>/<token>/` names, found in
   * constant time over the token; undefined when none (or a deleted one) does.
   */
  findIntegrationByToken(type: string, token: string): string | undefined {
    return findIntegrationByToken(this.state, type, token);
  }

  /**
   * An alert arriving at an integration: routed, grouped or starting a new alert group whose
   * escalation begins, and committed at once. (Over HTTP alerts go through `takeAlert`.)
   */
  receiveAlert(integrationId: string, payload: unknown): { alertGroupId: string; created: boolean } {
    const result = this.applyAlert(integrationId, payload);
    this.ctx.commit([]);
    this.afterAlerts();
    return result;
  }

  /**
   * What `POST /integrations/v1/<type>/<token>/` does: the alert is applied with the others that
   * arrive in the same turn of the event loop and committed with them, once (alert-intake.ts); the
   * promise settles after that commit.
   */
  takeAlert(integrationId: string, payload: unknown): Promise<{ alertGroupId: string; created: boolean }> {
    return this.intake.take(() => this.applyAlert(integrationId, payload));
  }

  private applyAlert(integrationId: string, payload: unknown): { alertGroupId: string; created: boolean } {
    const integration = this.state.integrations.get(integrationId);
    if (!integration || integration.deleted) throw notFound('integration', integrationId);
    checkAlertPayload(payload);
    const { group, created } = ingestAlert(this.state, integration, payload, this.ctx.clock.now(), this.ctx.newId);
    this.runtime.touch(group);
    return { alertGroupId: group.id, created };
  }

  /**
   * With the server's timer running, due work is left to it: it runs in its slices, one commit for
   * many alerts' work, rather than a second commit per alert here.
   */
  private afterAlerts(): void {
    if (!this.runtime.timerRunning) this.runtime.runDue();
  }

  now(): number {
    return this.ctx.clock.now();
  }

  /**
   * Dry runs: a second engine over a copy of this one's configuration (the simulation's copy, so
   * the directory is shared, never written by configuration tools), frozen at this instant, with no
   * store, no timer and no webhooks sent. Alert groups are left out: a dry run asks about the next
   * alert, and the copy must not run anyone's pending escalation.
   */
  async sandbox(): Promise<Sandbox> {
    const copy = new MemoryBackend({ state: copyForSimulation(this.state), clock: new VirtualClock(this.now()) });
    return { backend: copy, limits: [] };
  }

  /** Counts request commits: readers that cache names (the tools' index) reload when it moves. */
  revision(): number {
    return this.ctx.revision;
  }

  get state(): State {
    return this.ctx.state;
  }
}

/** Wait for `promise`, but no longer than `ms`. */
function withinGrace(promise: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
