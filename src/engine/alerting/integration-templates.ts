/**
 * Integration templates (semantics.md §7): every key always present (null = the type's
 * default), merge semantics on write, and OnCall's validation messages. Jinja templates are
 * checked by the shared template module.
 */
import { badRequest } from '../../api/errors.js';
import type { TemplateValues } from '../core/state.js';
import { isValidTemplate } from './templates.js';
import { type FieldErrors, MSG } from '../core/validation.js';

const BEHAVIOUR = ['grouping_key', 'resolve_signal', 'acknowledge_signal', 'source_link'] as const;

/** Channels OnCall has always had; unknown attributes on them are an error. */
const LEGACY_CHANNELS: Record<string, readonly string[]> = {
  slack: ['title', 'message', 'image_url'],
  web: ['title', 'message', 'image_url'],
  sms: ['title'],
  phone_call: ['title'],
  telegram: ['title', 'message', 'image_url'],
};

/** Template fields of messaging backends; unknown attributes on them are ignored. */
const BACKEND_FIELDS: Record<string, readonly string[]> = {
  email: ['title', 'message'],
  msteams: ['title', 'message', 'image_url'],
  mobile_app: ['title', 'message'],
  webhook: ['title', 'message', 'image_url'],
  mattermost: ['title', 'message', 'image_url'],
  testonly: ['title', 'message', 'image_url'],
};

/** The channels of an organisation: the legacy ones, then its backends that have templates. */
export function templateChannels(backends: readonly string[]): Record<string, readonly string[]> {
  const channels: Record<string, readonly string[]> = { ...LEGACY_CHANNELS };
  for (const b of backends) {
    const fields = BACKEND_FIELDS[b];
    if (fields) channels[b] = fields;
  }
  return channels;
}

export function blankTemplates(backends: readonly string[]): TemplateValues {
  const out: TemplateValues = {};
  for (const key of BEHAVIOUR) out[key] = null;
  for (const [channel, fields] of Object.entries(templateChannels(backends))) {
    out[channel] = Object.fromEntries(fields.map((f) => [f, null]));
  }
  return out;
}

/** The templates as the API shows them: every key, in OnCall's order, whatever was stored. */
export function representTemplates(stored: TemplateValues, backends: readonly string[]): TemplateValues {
  const out = blankTemplates(backends);
  for (const key of Object.keys(out)) {
    const value = stored[key];
    if (value === undefined) continue;
    if (typeof value === 'object' && value !== null && typeof out[key] === 'object') {
      const fields = out[key] as Record<string, string | null>;
      for (const f of Object.keys(fields)) fields[f] = value[f] ?? null;
    } else if (typeof value !== 'object') {
      out[key] = value;
    }
  }
  return out;
}

/**
 * Merge `raw` (the request's `templates`) onto `current`. Only sent keys change; a channel set to
 * null resets all its fields. Bad templates are a short-circuit `{"detail": …}`.
 */
export function mergeTemplates(
  current: TemplateValues,
  raw: unknown,
  backends: readonly string[],
  errors: FieldErrors,
): TemplateValues | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    errors.add('templates', MSG.notADict(raw));
    return undefined;
  }
  const next = representTemplates(current, backends);
  const channels = templateChannels(backends);
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if ((BEHAVIOUR as readonly string[]).includes(key)) {
      if (value !== null && (typeof value !== 'string' || !isValidTemplate(value))) {
        throw badRequest(`Invalid ${key} template data`);
      }
      next[key] = value as string | null;
      continue;
    }
    const fields = channels[key];
    if (!fields) continue; // unknown top-level keys are ignored
    const slot = next[key] as Record<string, string | null>;
    if (value === null) {
      for (const f of fields) slot[f] = null;
      continue;
    }
    if (typeof value !== 'object' || Array.isArray(value)) throw badRequest(`Invalid ${key} template data`);
    for (const [attr, template] of Object.entries(value as Record<string, unknown>)) {
      if (!fields.includes(attr)) {
        if (key in LEGACY_CHANNELS) throw badRequest('Invalid template data');
        continue;
      }
      if (template !== null && (typeof template !== 'string' || !isValidTemplate(template))) {
        throw badRequest(`invalid ${key} ${attr} template`);
      }
      slot[attr] = template as string | null;
    }
  }
  return next;
}
