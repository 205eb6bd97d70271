/** Users, teams and user groups (read-only in the API, semantics.md §1, §1.5), and how webhooks are shown. */
import type { OnCallBackend } from '../../api/backend.js';
import { ApiError } from '../../api/errors.js';
import { callerId } from '../alerting/timeline.js';
import { SECRET_MASK, type Team, type User, type UserGroup, USER_ROLES, type Webhook } from '../../api/types.js';
import { type EngineContext, getOr404 } from '../core/context.js';
import { paginate, queryStrings } from '../core/pagination.js';
import type { UserGroupRecord, UserRecord, WebhookRecord } from '../core/state.js';

export function representUser(user: UserRecord): User {
  return {
    id: user.id,
    grafana_id: user.grafana_id,
    email: user.email,
    slack: user.slack,
    username: user.username,
    role: user.role,
    is_phone_number_verified: user.is_phone_number_verified,
    timezone: user.timezone,
    teams: [...user.teams],
  };
}

export function representUserGroup(group: UserGroupRecord): UserGroup {
  return { id: group.id, type: group.type, slack: { ...group.slack } };
}

export function representWebhook(hook: WebhookRecord): Webhook {
  return {
    ...hook,
    password: hook.password ? SECRET_MASK : null,
    authorization_header: hook.authorization_header ? SECRET_MASK : null,
    integration_filter: hook.integration_filter?.length ? [...hook.integration_filter] : null,
  };
}

const sameText = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** `?short=true`: the fields OnCall's short user serializer keeps. */
function shortUser(u: User): User {
  const { id, grafana_id, email, username, role, is_phone_number_verified } = u;
  return { id, grafana_id, email, username, role, is_phone_number_verified } as User;
}

export function users(ctx: EngineContext): OnCallBackend['users'] {
  const { state } = ctx;
  return {
    async list(query) {
      // Repeated (roles=0&roles=1) as OnCall takes them; our own page links write them joined by commas.
      const codes = query.roles === undefined ? [] : [query.roles].flat().flatMap((c) => c.split(','));
      // django-filter's multiple choice filter: codes 0–3, anything else named in the message.
      const wrong = codes.find((c) => !/^[0-3]$/.test(c));
      if (wrong !== undefined) {
        throw new ApiError(400, { roles: [`Select a valid choice. ${wrong} is not one of the available choices.`] });
      }
      const roles = new Set(codes.map((c) => USER_ROLES[Number(c)]));
      const short = query.short === 'true';
      const items = [...state.users.values()]
        .filter((u) => query.username === undefined || sameText(u.username, query.username))
        .filter((u) => query.email === undefined || sameText(u.email, query.email))
        .filter((u) => !roles.size || roles.has(u.role))
        .map(representUser)
        .map((u) => (short ? shortUser(u) : u));
      return paginate(items, ctx.publicUrl, {
        path: '/api/v1/users/',
        query: { ...queryStrings({ ...query, roles: undefined }), ...(codes.length ? { roles: codes.join(',') } : {}) },
        defaultSize: 100,
      });
    },
    async get(id) {
      return representUser(getOr404(state.users, 'user', id));
    },
    async current() {
      const id = callerId(state);
      if (!id) throw new ApiError(403, { detail: 'Invalid token.' });
      return representUser(getOr404(state.users, 'user', id));
    },
  };
}

export function teams(ctx: EngineContext): OnCallBackend['teams'] {
  const { state } = ctx;
  return {
    async list(query) {
      const items: Team[] = [...state.teams.values()]
        .filter((t) => query.name === undefined || t.name === query.name)
        .map((t) => ({ ...t }));
      return paginate(items, ctx.publicUrl, {
        path: '/api/v1/teams/',
        query: queryStrings(query),
        defaultSize: 50,
      });
    },
    async get(id) {
      return { ...getOr404(state.teams, 'team', id) };
    },
  };
}

export function userGroups(ctx: EngineContext): OnCallBackend['userGroups'] {
  const { state } = ctx;
  return {
    async list(query) {
      // Only groups of the org's own Slack workspace exist for the API.
      const items = (state.organization.slack_team_id ? [...state.userGroups.values()] : [])
        .filter((g) => query.slack_handle === undefined || g.slack.handle === query.slack_handle)
        .map(representUserGroup);
      return paginate(items, ctx.publicUrl, {
        path: '/api/v1/user_groups/',
        query: queryStrings(query),
        defaultSize: 50,
      });
    },
  };
}
