/**
 * Direct paging (`POST /api/v1/escalation`, oncall-api.md §10, oncall-engine.md §4): page people or
 * a team into a new alert group, or add responders to an existing one. Validation follows OnCall's
 * order and messages. A team's Direct Paging integration is created on demand with an "important"
 * route, so `important_team_escalation` can take a different chain.
 */
import { randomUUID } from 'node:crypto';
import { ApiError, badRequest } from '../../api/errors.js';
import type { OnCallBackend } from '../../api/backend.js';
import { ingestAlert } from './alerts.js';
import { findAlertGroup } from '../core/history.js';
import { representAlertGroup } from './alert-groups.js';
import type { EngineContext } from '../core/context.js';
import { blankTemplates } from './integration-templates.js';
import { newIntegrationToken } from './integrations.js';
import { startPersonalChain } from '../runtime/personal-notifications.js';
import { blankRoute } from './routes.js';
import type { Runtime } from '../runtime/runtime.js';
import type { AlertGroupRecord, IntegrationRecord, State } from '../core/state.js';
import { callerId, humanList, record, username } from './timeline.js';
import { asBody, type Body, FieldErrors, has, parseBoolean, readString } from '../core/validation.js';

/** `&`, `<` and `>` become entities; quotes stay (Django's escape minus quotes, as OnCall does). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The team's Direct Paging integration, created with its two routes when missing. */
export function directPagingIntegration(ctx: EngineContext, teamId: string | null): IntegrationRecord {
  const { state } = ctx;
  const existing = [...state.integrations.values()].find(
    (i) => i.type === 'direct_paging' && i.team_id === teamId && !i.deleted,
  );
  if (existing) return existing;
  const team = teamId ? state.teams.get(teamId) : undefined;
  const integration: IntegrationRecord = {
    id: ctx.newId('C'),
    name: `Direct paging (${team ? `${team.name} team` : 'No team'})`,
    description_short: null,
    team_id: teamId,
    type: 'direct_paging',
    token: newIntegrationToken(),
    templates: blankTemplates(state.organization.messaging_backends),
    maintenance: null,
    deleted: false,
    created_at: ctx.clock.now(),
  };
  state.integrations.set(integration.id, integration);
  state.counters.integrationsCreated += 1;
  const important = blankRoute(ctx.newId('R'), integration.id, false);
  important.routingType = 'jinja2';
  important.routingRegex = '{{ payload.oncall.important }}';
  state.routes.set(important.id, important);
  const fallback = blankRoute(ctx.newId('R'), integration.id, true);
  state.routes.set(fallback.id, fallback);
  return integration;
}

interface PagedUser {
  id: string;
  important: boolean;
}

/** `users`: a list of `{id, important}`; errors are one dict per item, as DRF lists of objects report them. */
function readUsers(state: State, body: Body, errors: FieldErrors): PagedUser[] {
  if (!has(body, 'users') || body.users === null) return [];
  if (!Array.isArray(body.users)) {
    errors.add('users', `Expected a list of items but got type "${typeof body.users === 'string' ? 'str' : 'dict'}".`);
    return [];
  }
  const items: Record<string, unknown>[] = [];
  const users: PagedUser[] = [];
  let failed = false;
  for (const raw of body.users as unknown[]) {
    const item = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Body) : undefined;
    const problems: Record<string, unknown> = {};
    if (!item) problems.non_field_errors = ['Invalid data. Expected a dictionary, but got str.'];
    else {
      if (typeof item.id !== 'string') problems.id = ['This field is required.'];
      const important = parseBoolean(item.important);
      if (!has(item, 'important')) problems.important = ['This field is required.'];
      else if (important === undefined) problems.important = ['Must be a valid boolean.'];
      if (!problems.id && !state.users.has(item.id as string)) {
        problems.non_field_errors = [`User ${String(item.id)} does not exist`];
      }
      if (!Object.keys(problems).length) users.push({ id: item.id as string, important: important! });
    }
    if (Object.keys(problems).length) failed = true;
    items.push(problems);
  }
  if (failed) errors.setValue('users', items);
  return users;
}

function page(state: State, group: AlertGroupRecord, users: readonly PagedUser[], now: number): void {
  const by = username(state, callerId(state));
  for (const user of users) {
    record(group, {
      at: now,
      event: 'direct_paging',
      userId: user.id,
      important: user.important,
      authorId: callerId(state),
      text: `${by} paged ${username(state, user.id)}${user.important ? ' (important)' : ''}`,
    });
    startPersonalChain(group, user.id, now, { important: user.important, directPage: true });
  }
}

export function escalation(ctx: EngineContext, runtime: Runtime): OnCallBackend['escalation'] {
  const { state } = ctx;
  return {
    async create(raw) {
      const body = asBody(raw);
      const errors = new FieldErrors();
      const users = readUsers(state, body, errors);
      let teamId: string | null = null;
      if (has(body, 'team') && body.team !== null) {
        if (typeof body.team !== 'string' || !state.teams.has(body.team)) errors.add('team', 'Object does not exist');
        else teamId = body.team;
      }
      const importantTeam = has(body, 'important_team_escalation') ? parseBoolean(body.important_team_escalation) : false;
      if (importantTeam === undefined) errors.add('important_team_escalation', 'Must be a valid boolean.');
      const alertGroupId = readString(errors, body, 'alert_group_id', { nullable: true });
      const title = readString(errors, body, 'title', { nullable: true, allowBlank: true });
      const message = readString(errors, body, 'message', { nullable: true, allowBlank: true });
      const sourceUrl = readString(errors, body, 'source_url', { nullable: true });
      if (sourceUrl && !/^https?:\/\/[^\s/$.?#].[^\s]*$/i.test(sourceUrl)) errors.add('source_url', 'Enter a valid URL.');
      errors.throwIfAny();

      // Serializer-level rules, in OnCall's order.
      const nonField = (message: string) => new ApiError(400, { non_field_errors: [message] });
      if (alertGroupId && (title || message || sourceUrl)) {
        throw nonField('alert_group_id and (title, message, source_url) are mutually exclusive');
      }
      if (users.length && teamId) throw nonField('users and team are mutually exclusive');
      const existing = alertGroupId ? findAlertGroup(state, alertGroupId) : undefined;
      if (alertGroupId && !existing) throw nonField(`Alert group ${alertGroupId} does not exist`);

      // The paging step (a team given with an existing group passes this check, then is not used).
      if (!users.length && !teamId) throw badRequest('No team or user(s) specified');
      const now = ctx.clock.now();
      if (existing) {
        if (existing.resolved) throw badRequest('Cannot add responders for a resolved alert group');
        page(state, existing, users, now); // the team, if any, is not used for an existing group
        runtime.touch(existing);
        ctx.commit();
        runtime.runDue();
        return representAlertGroup(state, existing);
      }
      const caller = username(state, callerId(state));
      const names = [...(teamId ? [state.teams.get(teamId)!.name] : []), ...users.map((u) => username(state, u.id))];
      const finalTitle = escapeHtml(title || `${caller} is paging ${humanList(names)} to join escalation`);
      const integration = directPagingIntegration(ctx, teamId);
      const payload = {
        oncall: {
          title: finalTitle,
          message: message ? escapeHtml(message) : null,
          uid: randomUUID(), // a new uid on every page: pages never group together
          author_username: caller,
          permalink: sourceUrl ?? null,
          important: importantTeam === true,
        },
      };
      const { group } = ingestAlert(state, integration, payload, now, ctx.newId);
      group.title = finalTitle;
      page(state, group, users, now);
      runtime.touch(group);
      ctx.commit();
      runtime.runDue();
      return representAlertGroup(state, group);
    },
  };
}
