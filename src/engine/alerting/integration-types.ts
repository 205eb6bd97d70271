/** Integration types and how each behaves (semantics.md §4.1). */
import type { IntegrationType } from '../../api/types.js';
import type { IntegrationRecord } from '../core/state.js';

interface TypeInfo {
  /** Used for default names: "<title> <smile code>". */
  title: string;
  /** Has a heartbeat (and so a `heartbeat.link`). */
  heartbeat: boolean;
  /** Receives alerts on a URL (`link`). */
  link: boolean;
  /** Can be created through the API. */
  creatable: boolean;
  /** Legacy types are shown as their successor. */
  shownAs?: IntegrationType;
}

export const INTEGRATION_TYPE_INFO: Record<string, TypeInfo> = {
  grafana_alerting: { title: 'Grafana Alerting', heartbeat: false, link: true, creatable: true },
  webhook: { title: 'Webhook', heartbeat: true, link: true, creatable: true },
  alertmanager: { title: 'Alertmanager', heartbeat: true, link: true, creatable: true },
  formatted_webhook: { title: 'Formatted webhook', heartbeat: true, link: true, creatable: true },
  kapacitor: { title: 'Kapacitor', heartbeat: false, link: true, creatable: true },
  elastalert: { title: 'Elastalert', heartbeat: true, link: true, creatable: true },
  inbound_email: { title: 'Inbound Email', heartbeat: false, link: false, creatable: true },
  maintenance: { title: 'Maintenance', heartbeat: false, link: false, creatable: false },
  manual: { title: 'Manual', heartbeat: false, link: false, creatable: true },
  zabbix: { title: 'Zabbix', heartbeat: true, link: true, creatable: true },
  direct_paging: { title: 'Direct paging', heartbeat: false, link: false, creatable: false },
  grafana: { title: 'Grafana Legacy Alerting', heartbeat: true, link: true, creatable: true },
  legacy_alertmanager: {
    title: '(Legacy) AlertManager',
    heartbeat: true,
    link: true,
    creatable: false,
    shownAs: 'alertmanager',
  },
  legacy_grafana_alerting: {
    title: '(Deprecated) Grafana Alerting',
    heartbeat: false,
    link: true,
    creatable: false,
    shownAs: 'grafana_alerting',
  },
};

/** The slug the API shows for a stored type. */
export function shownType(stored: string): IntegrationType {
  return INTEGRATION_TYPE_INFO[stored]?.shownAs ?? (stored as IntegrationType);
}

const SMILES = [
  ':blush:',
  ':ghost:',
  ':apple:',
  ':heart:',
  ':sunglasses:',
  ':package:',
  ':balloon:',
  ':bell:',
  ':beer:',
  ':fire:',
];

/** OnCall's default-name suffix: the count of integrations ever created, one emoji per digit. */
export function smileCode(count: number): string {
  return [...String(count)].map((d) => SMILES[Number(d)]).join('');
}

/** Maintenance that has run past its end is over, whether or not anything stopped it. */
export function activeMaintenance(integration: IntegrationRecord, now: number) {
  return integration.maintenance && integration.maintenance.endAt > now ? integration.maintenance : null;
}
