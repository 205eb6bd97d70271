/** The alerts resource (`GET /api/v1/alerts/`): every alert of the organisation, newest first. */
import type { OnCallBackend } from '../../api/backend.js';
import type { EngineContext } from '../core/context.js';
import { paginate, queryStrings } from '../core/pagination.js';
import { representAlert } from './alert-groups.js';

export function alerts(ctx: EngineContext): OnCallBackend['alerts'] {
  const { state } = ctx;
  return {
    async list(query) {
      const search = query.search?.toLowerCase();
      const items = [...state.alerts.values()]
        .filter((a) => query.id === undefined || a.id === query.id)
        .filter((a) => query.alert_group_id === undefined || a.alertGroupId === query.alert_group_id)
        .filter((a) => search === undefined || JSON.stringify(a.payload).toLowerCase().includes(search))
        .reverse() // newest first
        .map(representAlert);
      return paginate(items, ctx.publicUrl, { path: '/api/v1/alerts/', query: queryStrings(query), defaultSize: 50 });
    },
  };
}
