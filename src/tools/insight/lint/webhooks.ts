/**
 * Webhooks whose recent requests failed: what a webhook step does (an incident channel, a status
 * page) did not happen, and OnCall goes on without saying so.
 */
import { formatInstant } from '../../format.js';
import { call } from './fix.js';
import type { Org } from './org.js';
import type { Scope } from './scope.js';
import type { Finding } from './types.js';

const failed = (status: number | null) => status === null || status >= 400;

/** The host a webhook calls, never the rest of its URL (it may carry credentials). */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'its endpoint';
  }
}

export async function webhookRules(org: Org, scope: Scope): Promise<Finding[]> {
  const findings: Finding[] = [];
  await Promise.all(
    scope.webhooks.map(async (w) => {
      const responses = await org.responses(w.id);
      if (responses === null) {
        org.unchecked.add(`webhook ${w.id}: its responses could not be read`);
        return;
      }
      const bad = responses.filter((r) => failed(r.status_code));
      if (!bad.length) return;
      const latest = responses[0]!;
      const last = bad[0]!;
      const what = `${last.status_code ?? 'no answer'} at ${formatInstant(last.timestamp, null)}`;
      const latestFailed = failed(latest.status_code);
      findings.push({
        rule: 'webhook-failing',
        severity: latestFailed ? 'warning' : 'info',
        object: { kind: 'webhook', id: w.id, name: w.name },
        problem: latestFailed
          ? `its latest request failed (${what})${bad.length > 1 ? `; ${bad.length} of the last ${responses.length} failed` : ''}`
          : `${bad.length} of its last ${responses.length} requests failed (${what}); the latest succeeded`,
        why: latestFailed
          ? `its ${w.trigger_type} action is not reaching ${hostOf(w.url)}: whatever it does for responders is not happening`
          : 'it has failed recently; worth checking the endpoint is reliable',
        fix: [call('list_webhook_responses', { webhook_id: w.id })],
        fix_note: 'shows what the endpoint answered; the endpoint (or the webhook\'s url, update_webhook) is what needs fixing',
      });
    }),
  );
  return findings;
}
