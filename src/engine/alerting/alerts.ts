/**
 * Alerts into alert groups: an alert is routed (first matching route), grouped with the open group
 * of the same grouping key, or starts a new group whose escalation begins 1 s later. A resolve
 * signal resolves the group. While its integration is in maintenance, alerts collect in the
 * maintenance group without escalating.
 */
import { FIRST_STEP_DELAY, restartEscalation, startEscalation } from '../runtime/escalation-steps.js';
import { activeMaintenance } from './integration-types.js';
import { selectRoute } from './routes.js';
import type { AlertGroupRecord, AlertRecord, IntegrationRecord, State } from '../core/state.js';
import { renderTemplate, TemplateError } from './templates.js';
import { record } from './timeline.js';
import { markChanged } from '../core/history.js';
import { alertGroupIndex } from '../core/alert-group-index.js';

interface Defaults {
  title: string;
  grouping: string | null;
  resolve: string | null;
}

/** The per-type defaults OnCall applies when an integration's template is null (the common ones). */
const DEFAULTS: Record<string, Defaults> = {
  alertmanager: {
    title: '{{ payload.commonLabels.alertname or payload.groupLabels.alertname or "Alertmanager alert" }}',
    grouping: '{{ payload.groupKey }}',
    resolve: '{{ payload.status == "resolved" }}',
  },
  grafana_alerting: {
    title: '{{ payload.title or payload.commonLabels.alertname or "Grafana alert" }}',
    grouping: '{{ payload.groupKey }}',
    resolve: '{{ payload.status == "resolved" }}',
  },
  grafana: {
    title: '{{ payload.ruleName or payload.title or "Grafana alert" }}',
    grouping: '{{ payload.ruleId }}',
    resolve: '{{ payload.state == "ok" }}',
  },
  inbound_email: { title: '{{ payload.subject or "Email" }}', grouping: '{{ payload.subject }}', resolve: null },
  direct_paging: { title: '{{ payload.oncall.title }}', grouping: '{{ payload.oncall.uid }}', resolve: null },
};
const FALLBACK: Defaults = {
  title: '{{ payload.title or payload.message or payload.alert_uid or "Alert" }}',
  grouping: null, // the whole payload: identical alerts group together
  resolve: '{{ payload.state == "ok" or payload.status == "resolved" }}',
};

/** What the integration's templates are read from: its type (for the defaults) and its own templates. */
export type TemplateSource = Pick<IntegrationRecord, 'type' | 'templates'>;

function defaultsFor(integration: TemplateSource): Defaults {
  const type = integration.type.replace(/^legacy_/, '');
  return DEFAULTS[type] ?? FALLBACK;
}

/** `now` is what the template's `time()` returns: the engine clock, not the host's. */
function render(template: string, payload: unknown, now: number): string | undefined {
  try {
    return renderTemplate(template, { payload }, { now }).trim();
  } catch (err) {
    if (err instanceof TemplateError) return undefined;
    throw err;
  }
}

function template(integration: TemplateSource, key: 'grouping_key' | 'resolve_signal'): string | null {
  const value = integration.templates[key];
  return typeof value === 'string' ? value : null;
}

export function webTitle(integration: TemplateSource, payload: unknown, now: number): string | null {
  const web = integration.templates.web;
  const custom = web && typeof web === 'object' ? web.title : null;
  return render(custom ?? defaultsFor(integration).title, payload, now) || null;
}

export function groupingKey(integration: TemplateSource, payload: unknown, now: number): string {
  const source = template(integration, 'grouping_key') ?? defaultsFor(integration).grouping;
  return source === null ? JSON.stringify(payload) : (render(source, payload, now) ?? JSON.stringify(payload));
}

export function isResolveSignal(integration: TemplateSource, payload: unknown, now: number): boolean {
  const source = template(integration, 'resolve_signal') ?? defaultsFor(integration).resolve;
  if (!source) return false;
  const text = render(source, payload, now)?.toLowerCase();
  return text === 'true' || text === '1' || text === 'ok';
}

export function addAlert(
  state: State,
  group: AlertGroupRecord,
  payload: unknown,
  now: number,
  id: string,
): AlertRecord {
  const alert: AlertRecord = { id, alertGroupId: group.id, createdAt: now, payload };
  state.alerts.set(alert.id, alert);
  group.alertIds.push(alert.id);
  markChanged(state, 'alerts', alert.id);
  markChanged(state, 'alertGroups', group.id);
  return alert;
}

export function blankGroup(id: string, integrationId: string, routeId: string | null, now: number): AlertGroupRecord {
  return {
    id,
    integrationId,
    routeId,
    createdAt: now,
    title: null,
    acknowledged: false,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolved: false,
    resolvedAt: null,
    resolvedBy: null,
    silenced: false,
    silencedAt: null,
    silencedUntil: null,
    rootAlertGroupId: null,
    maintenanceOf: null,
    wiped: false,
    escalation: null,
    personal: {},
    timeline: [],
    groupingKey: null,
    alertIds: [],
  };
}

/** The open alert group an alert with this grouping key would join (as ingestion looks it up). */
export function openGroupWithKey(state: State, integrationId: string, key: string): AlertGroupRecord | undefined {
  return alertGroupIndex(state).openGroup(integrationId, key);
}

export interface IngestResult {
  group: AlertGroupRecord;
  alert: AlertRecord;
  created: boolean;
}

/** Take one alert for an integration. `newId` makes ids; the caller commits and touches the runtime. */
export function ingestAlert(
  state: State,
  integration: IntegrationRecord,
  payload: unknown,
  now: number,
  newId: (prefix: string) => string,
): IngestResult {
  const maintenance = activeMaintenance(integration, now);
  if (maintenance?.mode === 'maintenance') {
    const collector = alertGroupIndex(state).maintenanceCollectors(integration.id)[0];
    if (collector) return { group: collector, alert: addAlert(state, collector, payload, now, newId('A')), created: false };
  }

  const key = groupingKey(integration, payload, now);
  const open = openGroupWithKey(state, integration.id, key);
  if (open) {
    const alert = addAlert(state, open, payload, now, newId('A'));
    if (isResolveSignal(integration, payload, now)) {
      open.resolved = true;
      open.resolvedAt = now;
      open.resolvedBy = null;
      open.silenced = false;
      record(open, { at: now, event: 'resolved', text: 'Resolved by a resolve signal from the source' });
    } else if (open.escalation?.paused) {
      restartEscalation(state, open, now, FIRST_STEP_DELAY); // the alert-count gate looks again
    }
    return { group: open, alert, created: false };
  }

  const route = selectRoute(state, integration.id, payload, now);
  const group = blankGroup(newId('I'), integration.id, route.id, now);
  group.groupingKey = key;
  group.title = webTitle(integration, payload, now);
  state.alertGroups.set(group.id, group);
  const alert = addAlert(state, group, payload, now, newId('A'));
  record(group, { at: now, event: 'registered', text: `Alert group registered from ${integration.name}` });
  record(group, {
    at: now,
    event: 'route_assigned',
    text: `Route ${route.isDefault ? 'default' : `[${route.order}] ${JSON.stringify(route.routingRegex)}`} (${route.id})`,
  });
  startEscalation(state, group, now, FIRST_STEP_DELAY);
  return { group, alert, created: true };
}
