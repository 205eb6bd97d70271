/** The alerts resource (`GET /api/v1/alerts/`): every alert of the organisation, newest first. */
import type { OnCallBackend } from '../../api/backend.js';
import type { EngineContext } from '../core/context.js';
import { mergeByCreation, readAlert } from '../core/history.js';
import { paginate, queryStrings } from '../core/pagination.js';
import { representAlert } from './alert-groups.js';

export function alerts(ctx: EngineContext): OnCallBackend['alerts'] {
  const { state } = ctx;
  return {
    async list(query) {
      const search = query.search?.toLowerCase();
      const resident = [...state.alerts.values()]
        .filter((a) => query.id === undefined || a.id === query.id)
        .filter((a) => query.alert_group_id === undefined || a.alertGroupId === query.alert_group_id)
        .filter((a) => search === undefined || JSON.stringify(a.payload).toLowerCase().includes(search));
      const items = mergeByCreation(state, 'alerts', resident, (a) => a.createdAt, (archive) =>
        archive.archivedAlerts({ id: query.id, alertGroupId: query.alert_group_id, search }),
      ).reverse(); // newest first
      return paginate(items, ctx.publicUrl, { path: '/api/v1/alerts/', query: queryStrings(query), defaultSize: 50 }, (ref) =>
        representAlert(ref.record ?? readAlert(state, ref.id)!),
      );
    },
  };
}
