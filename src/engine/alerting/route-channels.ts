/**
 * Where a route also posts: Slack channel, Telegram channel, and one `{id, enabled}` per messaging
 * backend. Shared by routes and the default route that an integration embeds (semantics.md §4.1).
 */

import type { RouteChannels } from '../../api/backend.js';
import { badRequest } from '../../api/errors.js';
import type { ChannelRouting, RouteRecord, State } from '../core/state.js';
import { type Body, type FieldErrors, has, MSG, parseBoolean } from '../core/validation.js';

/** Route keys for the configured backends (mobile_app also brings mobile_app_critical). */
export function routeBackendKeys(backends: readonly string[]): string[] {
  const keys: string[] = [];
  for (const b of backends) {
    keys.push(b);
    if (b === 'mobile_app') keys.push('mobile_app_critical');
  }
  return keys;
}

export function representChannels(route: RouteRecord, backends: readonly string[]): RouteChannels {
  const out: RouteChannels = { slack: { ...route.slack }, telegram: { ...route.telegram } };
  for (const key of routeBackendKeys(backends))
    out[key] = { ...(route.backends[key] ?? { id: null, enabled: false }) };
  return out;
}

export interface ChannelChanges {
  slack?: { channel_id?: string | null; enabled?: boolean };
  telegram?: { id?: string | null; enabled?: boolean };
  backends: Record<string, { id?: string | null; enabled?: boolean }>;
}

function asDict(errors: FieldErrors, field: string, value: unknown): Record<string, unknown> | undefined {
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  errors.add(field, MSG.notADict(value));
  return undefined;
}

function readEnabled(errors: FieldErrors, field: string, dict: Record<string, unknown>): boolean | undefined {
  if (!has(dict, 'enabled') || dict.enabled === null) return undefined;
  const value = parseBoolean(dict.enabled);
  if (value === undefined) errors.addNested(field, 'enabled', MSG.boolean);
  return value;
}

/** Parse the channel settings of a route body. Slack/Telegram problems short-circuit, as in OnCall. */
export function parseChannels(state: State, body: Body, errors: FieldErrors): ChannelChanges {
  const changes: ChannelChanges = { backends: {} };
  const org = state.organization;

  if (has(body, 'slack') && body.slack !== null) {
    const dict = asDict(errors, 'slack', body.slack);
    // Only a channel needs Slack: OnCall's route serializer stores `enabled` and a null channel
    // on any organisation, so a route's own GET body, sent back, is accepted without Slack.
    if (dict && has(dict, 'channel_id') && dict.channel_id !== null && !org.slack_team_id) {
      throw badRequest('Slack isn\'t connected to this workspace');
    }
    if (dict) {
      const slack: NonNullable<ChannelChanges['slack']> = {};
      if (has(dict, 'channel_id')) {
        const raw = dict.channel_id;
        if (raw === null) slack.channel_id = null;
        else {
          const id = typeof raw === 'string' ? raw.toUpperCase() : '';
          if (!org.slack_channels.some((c) => c.slack_id.toUpperCase() === id)) {
            errors.addNested('slack', 'channel_id', 'Slack channel does not exist');
          } else slack.channel_id = id;
        }
      }
      const enabled = readEnabled(errors, 'slack', dict);
      if (enabled !== undefined) slack.enabled = enabled;
      changes.slack = slack;
    }
  }

  if (has(body, 'telegram') && body.telegram !== null) {
    const dict = asDict(errors, 'telegram', body.telegram);
    if (dict) {
      const telegram: NonNullable<ChannelChanges['telegram']> = {};
      if (has(dict, 'id')) {
        if (dict.id === null) telegram.id = null;
        else if (!org.telegram_channels.some((c) => c.id === dict.id))
          throw badRequest('Telegram channel does not exist');
        else telegram.id = dict.id as string;
      }
      const enabled = readEnabled(errors, 'telegram', dict);
      if (enabled !== undefined) telegram.enabled = enabled;
      changes.telegram = telegram;
    }
  }

  for (const key of routeBackendKeys(org.messaging_backends)) {
    if (!has(body, key) || body[key] === null) continue;
    const dict = asDict(errors, key, body[key]);
    if (!dict) continue;
    const change: { id?: string | null; enabled?: boolean } = {};
    if (has(dict, 'id')) {
      if (dict.id === null || typeof dict.id === 'string') change.id = dict.id;
      else errors.addNested(key, 'id', MSG.string);
    }
    const enabled = readEnabled(errors, key, dict);
    if (enabled !== undefined) change.enabled = enabled;
    changes.backends[key] = change;
  }
  return changes;
}

/** Apply parsed changes, merging with what the route has. */
export function applyChannels(route: RouteRecord, changes: ChannelChanges): void {
  if (changes.slack) route.slack = { ...route.slack, ...changes.slack };
  if (changes.telegram) route.telegram = { ...route.telegram, ...changes.telegram };
  for (const [key, change] of Object.entries(changes.backends)) {
    const current: ChannelRouting = route.backends[key] ?? { id: null, enabled: false };
    route.backends[key] = { ...current, ...change };
  }
}
