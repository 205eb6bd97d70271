/**
 * simulate_alert: where an alert with a given payload would go — which route takes it and why,
 * which chain, its grouping key, whether it is a resolve signal — and the escalation a new alert
 * group would run. It works on the API's shapes (an integration and its routes as GET returns
 * them), so the same function answers for the embedded engine and, over objects fetched from a
 * live OnCall, for the HTTP backend. Nothing is stored, sent or notified.
 */
import { ApiError } from '../../api/errors.js';
import type { AlertSimulation, Integration, Route, RouteCheck, Simulation } from '../../api/types.js';
import type { TemplateValues } from '../core/state.js';
import { isoZ, parseZonedInstant } from '../core/time-format.js';
import { groupingKey, isResolveSignal } from './alerts.js';
import { pythonJsonDumps } from './python-json.js';
import { evaluateRouteExpression } from './routes.js';

/** Long enough to recognise a key; a key is the rendered template and may be a whole payload. */
const MAX_KEY = 300;
/** How much of a template's output or of the payload's JSON an answer quotes. */
const MAX_QUOTE = 200;

const quote = (text: string, max = MAX_QUOTE) =>
  text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;

/** The instant an alert is simulated at: `at` if given (zoned ISO), else now. */
export function simulatedInstant(at: string | undefined, now: number): number {
  if (at === undefined) return now;
  const parsed = parseZonedInstant(at);
  if (parsed === undefined) throw new ApiError(400, { at: ['Use an ISO 8601 instant with its zone, e.g. 2026-03-24T10:00:00Z.'] });
  return parsed;
}

export interface RoutingPreview {
  groupingKey: string;
  resolves: boolean;
  route: AlertSimulation['route'];
  checked: RouteCheck[];
  /** The payload as regex routes search it (Python's json.dumps), quoted. */
  payloadJson: string;
}

/** Routing order: the routes by position, the default route (which takes everything) last. */
function routingOrder(routes: readonly Route[]): Route[] {
  const custom = routes.filter((r) => !r.is_the_last_route).sort((a, b) => a.position - b.position);
  return [...custom, ...routes.filter((r) => r.is_the_last_route)];
}

/** The routing function over an integration's routes, explained: each route tried until one takes it. */
export function previewRouting(
  integration: Integration,
  routes: readonly Route[],
  payload: unknown,
  at: number,
): RoutingPreview {
  const source = { type: integration.type, templates: integration.templates as TemplateValues };
  const json = pythonJsonDumps(payload);
  const checked: RouteCheck[] = [];
  let taken: AlertSimulation['route'] | undefined;
  for (const route of routingOrder(routes)) {
    if (route.is_the_last_route) {
      const check = { route_id: route.id, position: null, routing_type: null, routing_regex: null, matched: true, saw: 'the default route takes every alert no other route took' };
      checked.push(check);
      taken = { ...check, escalation_chain_id: route.escalation_chain_id };
      break;
    }
    const expression = route.routing_regex ?? '';
    const result = evaluateRouteExpression(route.routing_type, expression, payload, at);
    const saw = route.routing_type === 'regex'
      ? `${result.matched ? 'found' : 'not found'} in the payload as Python JSON (${json.length} characters)`
      : result.error !== undefined
        ? `the template failed (${result.error}), which never matches`
        : `rendered ${JSON.stringify(quote(result.rendered?.trim() ?? ''))}; a route matches on True, true, 1 or ok`;
    const check = {
      route_id: route.id,
      position: route.position,
      routing_type: route.routing_type,
      routing_regex: expression,
      matched: result.matched,
      saw,
    };
    checked.push(check);
    if (result.matched) {
      taken = { ...check, escalation_chain_id: route.escalation_chain_id };
      break;
    }
  }
  if (!taken) throw new ApiError(500, { detail: `Integration ${integration.id} has no default route.` });
  return {
    groupingKey: groupingKey(source, payload, at),
    resolves: isResolveSignal(source, payload, at),
    route: taken,
    checked,
    payloadJson: quote(json),
  };
}

export interface SimulationInputs {
  integration: Integration;
  routes: readonly Route[];
  payload: unknown;
  at: number;
  /** The open alert group with the same grouping key, null if none, undefined if it cannot be known. */
  openGroupWithKey(key: string): string | null | undefined;
  simulate(chainId: string, at: string): Promise<Simulation>;
}

/**
 * The whole answer: routing, then what the engine would do with the alert. A new escalation runs
 * only when the alert starts an alert group (not one joining an open group or collected by
 * maintenance) on a route with a chain; each case that notifies nobody says so in `notes`.
 */
export async function simulateAlert(inputs: SimulationInputs): Promise<AlertSimulation> {
  const { integration, at } = inputs;
  const routing = previewRouting(integration, inputs.routes, inputs.payload, at);
  const notes: string[] = [];
  const until = integration.maintenance_end_at;
  const inMaintenance = integration.maintenance_mode !== null && until !== null && Date.parse(until) > at;
  const maintenance = inMaintenance ? { mode: integration.maintenance_mode!, until: until! } : null;
  const joins = inputs.openGroupWithKey(routing.groupingKey);

  let escalation: Simulation | null = null;
  if (maintenance?.mode === 'maintenance') {
    notes.push(`The integration is in maintenance until ${until}: the alert would be collected in its maintenance alert group and nobody notified.`);
  } else if (joins) {
    notes.push(routing.resolves
      ? `It would join open alert group ${joins} (same grouping key) and resolve it: a resolve signal. Nobody new would be notified.`
      : `It would join open alert group ${joins} (same grouping key): no new escalation, nobody new notified.`);
  } else {
    if (joins === undefined) {
      notes.push('Whether an alert group with this grouping key is open cannot be read from this OnCall (its API does not show grouping keys): if one is, the alert joins it and no new escalation starts.');
    }
    if (routing.resolves) notes.push('The payload is a resolve signal: it resolves an open alert group with the same grouping key; with none open it starts a new one.');
    if (maintenance?.mode === 'debug') {
      notes.push(`The integration is in debug maintenance until ${until}: an alert group would be created but not escalated; nobody notified.`);
    } else if (routing.route.escalation_chain_id === null) {
      notes.push(`Route ${routing.route.route_id} has no escalation chain: the alert group would be created and nobody notified.`);
    } else {
      escalation = await inputs.simulate(routing.route.escalation_chain_id, isoZ(at));
    }
  }
  const regexChecked = routing.checked.some((c) => c.routing_type === 'regex');
  if (regexChecked) notes.push(`Regex routes search the payload as Python's json.dumps writes it (", " and ": " spacing): ${routing.payloadJson}`);
  return {
    integration_id: integration.id,
    at: isoZ(at),
    maintenance,
    grouping_key: quote(routing.groupingKey, MAX_KEY),
    joins_alert_group: joins ?? null,
    resolves: routing.resolves,
    route: routing.route,
    checked: routing.checked,
    escalation,
    notes,
  };
}
