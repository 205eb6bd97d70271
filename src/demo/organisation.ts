/**
 * The built-in demo organisation: the objects of the seed documents with their ids and values
 * (chain F5JU6KJET33FE "default", policies E3GA6SJETWWJS and E5JJTU52M5YM4, alice and bob, team
 * TAAM1K1NNEHAG, schedule SBM7DV7BKFUYU "Primary Rotation"), so the documented calls work as
 * written, plus enough of a real company around them: three teams across time zones from Tokyo to
 * São Paulo, and escalation chains that use every step type.
 *
 * It has a few realistic defects, so `lint_oncall` on it shows what it is for: a route whose chain
 * was never set, a business-hours gate in front of every page of the Payments chain, people on call
 * with no notification rules (frank, ivan, heidi) or none for important pages (bob), judy's
 * important rules calling a phone number she never verified, and a status-page webhook whose
 * request failed.
 *
 * It contains no secrets. It goes through the same loader as a user's data file.
 */
import type { DataFileInput } from '../engine/storage/data-file.js';

const ALICE = 'U4DNY931HHJS5';
const BOB = 'U7S8H84ARFTGN';
const CAROL = 'UBYAGXFGDZJEM';
const DAVE = 'U5L1V3H4UM7ZV';
const ERIN = 'UT2PX4RAH53UQ';
const FRANK = 'UQ1LKALUQ5M9B';
const GRACE = 'U8PM29AEI5TGR';
const HEIDI = 'UGG36F9GRAEQH';
const IVAN = 'U2PI83F3X2YCU';
const JUDY = 'U3URF6A6K69L1';

const SRE = 'TAAM1K1NNEHAG';
const PAYMENTS = 'TJC5XVRUILG7S';
const MOBILE = 'TS5D6A9T1ZWFK';

const PRIMARY_ROTATION = 'SBM7DV7BKFUYU';
const SRE_FOLLOW_THE_SUN = 'S2JTNQV85CX6H';
const PAYMENTS_WEEKLY = 'S16DEVP9B7RAF';
const MOBILE_PRIMARY = 'SM2GJQZ36RQKJ';

const SRE_LEADS = 'GS7FRV1NTLWNF';
const INCIDENTS_WEBHOOK = 'WH77K37JNKW24V';

const DEFAULT_CHAIN = 'F5JU6KJET33FE';
const SRE_CRITICAL = 'FFENKG1U3EGBE';
const PAYMENTS_HOURS = 'FLXXYCWWXKQGR';
const MOBILE_LOW = 'F2SD737PINQ8V';

const ALERTMANAGER = 'CQWPPTFIE6MK6';
const MOBILE_ALERTING = 'CQRN9ZVPXA396';

const SLACK_TEAM = 'TSLACKTEAMID';
const avatar = (name: string) => `https://grafana.com/avatar/${name}`;

export const DEMO_ORGANISATION: DataFileInput = {
  version: 1,
  organization: {
    slack_team_id: SLACK_TEAM,
    grafana_incident_enabled: true,
    grafana_url: 'http://localhost:3000',
    messaging_backends: ['email', 'msteams'],
    inbound_email_domain: 'inbound.example.com',
    slack_channels: [
      { slack_id: 'CH23212D', name: 'oncall-alerts' },
      { slack_id: 'C05INCIDENTS', name: 'incidents' },
      { slack_id: 'C05PAYMENTS', name: 'payments-alerts' },
      { slack_id: 'C05MOBILE', name: 'mobile-alerts' },
    ],
    telegram_channels: [],
    api_user_id: ALICE,
  },
  teams: [
    { id: SRE, grafana_id: 11, name: 'SRE', email: 'sre@example.com', avatar_url: avatar('sre') },
    {
      id: PAYMENTS,
      grafana_id: 12,
      name: 'Payments',
      email: 'payments@example.com',
      avatar_url: avatar('payments'),
    },
    { id: MOBILE, grafana_id: 13, name: 'Mobile', email: null, avatar_url: avatar('mobile') },
  ],
  users: [
    {
      id: ALICE,
      notification_rules: { default: [{ type: 'notify_by_slack' }, { type: 'wait', duration: 300 }, { type: 'notify_by_phone_call' }], important: [{ type: 'notify_by_phone_call' }, { type: 'wait', duration: 60 }, { type: 'notify_by_phone_call' }] },
      grafana_id: 456,
      email: 'alice@example.com',
      slack: { user_id: 'UALICESLACKID', team_id: SLACK_TEAM },
      username: 'alice',
      role: 'admin',
      is_phone_number_verified: true,
      phone_number: '+12345678901',
      phone_number_status: 'available',
      timezone: 'America/New_York',
      teams: [SRE],
    },
    {
      id: BOB,
      notification_rules: { default: [{ type: 'notify_by_email' }], important: [] },
      grafana_id: 789,
      email: 'bob@example.com',
      slack: null,
      username: 'bob',
      role: 'editor',
      is_phone_number_verified: false,
      phone_number: null,
      phone_number_status: 'not_configured',
      timezone: 'UTC',
      teams: [],
    },
    {
      id: CAROL,
      notification_rules: { default: [{ type: 'notify_by_mobile_app' }, { type: 'wait', duration: 300 }, { type: 'notify_by_sms' }], important: [{ type: 'notify_by_mobile_app_critical' }] },
      grafana_id: 512,
      email: 'carol@example.com',
      slack: { user_id: 'UCAROLSLACKID', team_id: SLACK_TEAM },
      username: 'carol',
      role: 'editor',
      phone_number: '+4930123456',
      phone_number_status: 'private',
      timezone: 'Europe/Berlin',
      teams: [PAYMENTS],
    },
    {
      id: DAVE,
      notification_rules: { default: [{ type: 'notify_by_sms' }, { type: 'wait', duration: 300 }, { type: 'notify_by_phone_call' }], important: [{ type: 'notify_by_phone_call' }] },
      grafana_id: 513,
      email: 'dave@example.com',
      slack: { user_id: 'UDAVESLACKID', team_id: SLACK_TEAM },
      username: 'dave',
      role: 'editor',
      phone_number: '+81312345678',
      phone_number_status: 'available',
      timezone: 'Asia/Tokyo',
      teams: [SRE],
    },
    {
      id: ERIN,
      notification_rules: { default: [{ type: 'notify_by_mobile_app' }], important: [{ type: 'notify_by_mobile_app_critical' }, { type: 'wait', duration: 60 }, { type: 'notify_by_phone_call' }] },
      grafana_id: 514,
      email: 'erin@example.com',
      slack: { user_id: 'UERINSLACKID', team_id: SLACK_TEAM },
      username: 'erin',
      role: 'editor',
      phone_number: '+61212345678',
      phone_number_status: 'available',
      timezone: 'Australia/Sydney',
      teams: [SRE],
    },
    {
      id: FRANK,
      grafana_id: 515,
      email: 'frank@example.com',
      slack: null,
      username: 'frank',
      role: 'editor',
      timezone: 'Europe/London',
      teams: [PAYMENTS],
    },
    {
      id: GRACE,
      notification_rules: { default: [{ type: 'notify_by_mobile_app' }, { type: 'wait', duration: 300 }, { type: 'notify_by_phone_call' }], important: [{ type: 'notify_by_phone_call' }] },
      grafana_id: 516,
      email: 'grace@example.com',
      slack: { user_id: 'UGRACESLACKID', team_id: SLACK_TEAM },
      username: 'grace',
      role: 'editor',
      phone_number: '+14155550123',
      phone_number_status: 'available',
      timezone: 'America/Los_Angeles',
      teams: [MOBILE],
    },
    {
      id: HEIDI,
      grafana_id: 517,
      email: 'heidi@example.com',
      slack: { user_id: 'UHEIDISLACKID', team_id: SLACK_TEAM },
      username: 'heidi',
      role: 'editor',
      timezone: 'Asia/Kolkata',
      teams: [MOBILE],
    },
    {
      id: IVAN,
      grafana_id: 518,
      email: 'ivan@example.com',
      slack: null,
      username: 'ivan',
      role: 'editor',
      phone_number: '+5511912345678',
      phone_number_status: 'available',
      timezone: 'America/Sao_Paulo',
      teams: [PAYMENTS],
    },
    {
      id: JUDY,
      notification_rules: { default: [{ type: 'notify_by_slack' }, { type: 'wait', duration: 900 }, { type: 'notify_by_email' }], important: [{ type: 'notify_by_phone_call' }] },
      grafana_id: 519,
      email: 'judy@example.com',
      slack: { user_id: 'UJUDYSLACKID', team_id: SLACK_TEAM },
      username: 'judy',
      role: 'admin',
      timezone: 'Europe/Berlin',
      teams: [MOBILE, SRE],
    },
  ],
  user_groups: [
    {
      id: SRE_LEADS,
      type: 'slack_based',
      slack: { id: 'S05SRELEADS', name: 'SRE leads', handle: 'sre-leads' },
      members: [ALICE, JUDY],
    },
    {
      id: 'GETGHJNMGQEC7',
      type: 'slack_based',
      slack: { id: 'S05PAYONCALL', name: 'Payments on-call', handle: 'payments-oncall' },
      members: [CAROL, IVAN],
    },
  ],
  webhooks: [
    {
      id: INCIDENTS_WEBHOOK,
      name: 'Post to #incidents',
      is_webhook_enabled: true,
      team: SRE,
      url: 'https://hooks.example.com/oncall/incidents',
      http_method: 'POST',
      trigger_type: 'escalation',
      data: '{"alert_group_id": "{{ alert_group.id }}", "title": "{{ alert_group.title }}"}',
      headers: '{"Content-Type": "application/json"}',
      forward_all: false,
    },
    {
      id: 'WH6IHJNK4PJAIV',
      name: 'Open status page incident',
      is_webhook_enabled: true,
      team: PAYMENTS,
      url: 'https://status.example.com/api/incidents',
      http_method: 'POST',
      trigger_type: 'acknowledge',
      forward_all: true,
    },
  ],
  // Calendar schedules, so their shifts (and overrides) can be changed through the API.
  on_call_shifts: [
    // Seed 002's shift: alice and bob, 2026-03-24 09:00 UTC to the next day 09:00, handing over daily.
    {
      id: 'OB1JPAEKMUQHC',
      name: 'Primary daily',
      type: 'rolling_users',
      team_id: SRE,
      time_zone: 'UTC',
      start: '2026-01-01T09:00:00',
      duration: 86400,
      frequency: 'daily',
      interval: 1,
      rolling_users: [
        [ALICE, BOB],
        [DAVE, ERIN],
      ],
      start_rotation_from_user_index: 0,
    },
    // Follow the sun: three 8-hour UTC blocks, each in its people's working day.
    {
      id: 'O4JGZD4QTSJSF',
      name: 'SRE APAC hours',
      type: 'rolling_users',
      team_id: SRE,
      time_zone: 'UTC',
      start: '2026-01-05T22:00:00',
      duration: 8 * 3600,
      frequency: 'weekly',
      week_start: 'MO',
      by_day: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'],
      interval: 1,
      rolling_users: [[ERIN], [DAVE]],
      start_rotation_from_user_index: 0,
    },
    {
      id: 'OVDFLSIY45JHX',
      name: 'SRE EMEA hours',
      type: 'recurrent_event',
      team_id: SRE,
      time_zone: 'UTC',
      start: '2026-01-01T06:00:00',
      duration: 8 * 3600,
      frequency: 'daily',
      interval: 1,
      users: [JUDY],
    },
    {
      id: 'O8MVGCBNCBC6F',
      name: 'SRE Americas hours',
      type: 'recurrent_event',
      team_id: SRE,
      time_zone: 'UTC',
      start: '2026-01-01T14:00:00',
      duration: 8 * 3600,
      frequency: 'daily',
      interval: 1,
      users: [ALICE],
    },
    // Payments: a 24/7 weekly rotation, a weekday business-hours layer above it, a holiday override.
    {
      id: 'OLV2HCVUI2J62',
      name: 'Payments 24/7',
      type: 'rolling_users',
      team_id: PAYMENTS,
      time_zone: 'Europe/Berlin',
      level: 0,
      start: '2026-01-05T09:00:00',
      duration: 7 * 86400,
      frequency: 'weekly',
      week_start: 'MO',
      interval: 1,
      rolling_users: [[CAROL], [IVAN], [FRANK]],
      start_rotation_from_user_index: 0,
    },
    {
      id: 'OSMVL4FVG6ATF',
      name: 'Payments business hours',
      type: 'rolling_users',
      team_id: PAYMENTS,
      time_zone: 'Europe/Berlin',
      level: 1,
      start: '2026-01-05T09:00:00',
      duration: 8 * 3600,
      frequency: 'daily',
      by_day: ['MO', 'TU', 'WE', 'TH', 'FR'],
      interval: 1,
      rolling_users: [[IVAN], [CAROL]],
      start_rotation_from_user_index: 0,
    },
    {
      id: 'OHRMH78N7LLXZ',
      name: 'Payments holiday cover',
      type: 'override',
      team_id: PAYMENTS,
      time_zone: 'Europe/Berlin',
      start: '2026-12-24T00:00:00',
      duration: 3 * 86400,
      users: [FRANK],
    },
    {
      id: 'OW897HKLSMJYH',
      name: 'Mobile weekly',
      type: 'rolling_users',
      team_id: MOBILE,
      time_zone: 'America/Los_Angeles',
      start: '2026-01-05T09:00:00',
      duration: 7 * 86400,
      frequency: 'weekly',
      week_start: 'MO',
      interval: 1,
      rolling_users: [[GRACE], [HEIDI], [JUDY]],
      start_rotation_from_user_index: 0,
    },
  ],
  schedules: [
    { id: PRIMARY_ROTATION, name: 'Primary Rotation', type: 'calendar', team_id: SRE, time_zone: 'UTC', shifts: ['OB1JPAEKMUQHC'] },
    {
      id: SRE_FOLLOW_THE_SUN,
      name: 'SRE follow-the-sun',
      type: 'calendar',
      team_id: SRE,
      time_zone: 'UTC',
      shifts: ['O4JGZD4QTSJSF', 'OVDFLSIY45JHX', 'O8MVGCBNCBC6F'],
    },
    {
      id: PAYMENTS_WEEKLY,
      name: 'Payments weekly',
      type: 'calendar',
      team_id: PAYMENTS,
      time_zone: 'Europe/Berlin',
      enable_web_overrides: true,
      shifts: ['OLV2HCVUI2J62', 'OSMVL4FVG6ATF', 'OHRMH78N7LLXZ'],
    },
    {
      id: MOBILE_PRIMARY,
      name: 'Mobile primary',
      type: 'calendar',
      team_id: MOBILE,
      time_zone: 'America/Los_Angeles',
      shifts: ['OW897HKLSMJYH'],
    },
  ],
  escalation_chains: [
    { id: DEFAULT_CHAIN, name: 'default', team_id: null },
    { id: SRE_CRITICAL, name: 'SRE critical', team_id: SRE },
    { id: PAYMENTS_HOURS, name: 'Payments business hours', team_id: PAYMENTS },
    { id: MOBILE_LOW, name: 'Mobile low priority', team_id: MOBILE },
  ],
  escalation_policies: [
    // default: the seed documents' two policies first.
    { id: 'E3GA6SJETWWJS', escalation_chain_id: DEFAULT_CHAIN, position: 0, type: 'wait', duration: 60 },
    {
      id: 'E5JJTU52M5YM4',
      escalation_chain_id: DEFAULT_CHAIN,
      position: 1,
      type: 'notify_person_next_each_time',
      important: false,
      persons_to_notify_next_each_time: [ALICE],
    },
    {
      id: 'E82JLU3H8W8NU',
      escalation_chain_id: DEFAULT_CHAIN,
      position: 2,
      type: 'notify_on_call_from_schedule',
      important: false,
      notify_on_call_from_schedule: PRIMARY_ROTATION,
    },
    { id: 'EM4V2DKJ7YSMY', escalation_chain_id: DEFAULT_CHAIN, position: 3, type: 'wait', duration: 900 },
    {
      id: 'EZKJXSZGD6J4X',
      escalation_chain_id: DEFAULT_CHAIN,
      position: 4,
      type: 'notify_persons',
      important: true,
      persons_to_notify: [BOB],
    },
    { id: 'E6GUE32LXWJM3', escalation_chain_id: DEFAULT_CHAIN, position: 5, type: 'repeat_escalation' },

    // SRE critical: page whoever is on call, tell the incident channel, then widen.
    {
      id: 'EECKGKSZGNHYX',
      escalation_chain_id: SRE_CRITICAL,
      position: 0,
      type: 'notify_on_call_from_schedule',
      important: true,
      notify_on_call_from_schedule: SRE_FOLLOW_THE_SUN,
    },
    {
      id: 'ESKZ6PLKNUYB3',
      escalation_chain_id: SRE_CRITICAL,
      position: 1,
      type: 'trigger_webhook',
      action_to_trigger: INCIDENTS_WEBHOOK,
    },
    { id: 'E5UBDDGQ1PIR3', escalation_chain_id: SRE_CRITICAL, position: 2, type: 'wait', duration: 300 },
    {
      id: 'E48L67FIMZEIN',
      escalation_chain_id: SRE_CRITICAL,
      position: 3,
      type: 'notify_next_on_call_from_schedule',
      important: true,
      notify_on_call_from_schedule: SRE_FOLLOW_THE_SUN,
    },
    {
      id: 'EVAB2E125YLL2',
      escalation_chain_id: SRE_CRITICAL,
      position: 4,
      type: 'notify_user_group',
      important: false,
      group_to_notify: SRE_LEADS,
    },
    { id: 'EYC41AMCYJIHE', escalation_chain_id: SRE_CRITICAL, position: 5, type: 'wait', duration: 900 },
    {
      id: 'E9HX2S5CTTB15',
      escalation_chain_id: SRE_CRITICAL,
      position: 6,
      type: 'notify_team_members',
      important: true,
      team_to_notify: SRE,
    },
    { id: 'EUET6GMW37EHM', escalation_chain_id: SRE_CRITICAL, position: 7, type: 'repeat_escalation' },

    // Payments: business hours only, a round robin, then noise-gated widening.
    {
      id: 'EWY1ZWX94B7WH',
      escalation_chain_id: PAYMENTS_HOURS,
      position: 0,
      type: 'notify_if_time_from_to',
      notify_if_time_from: '08:00:00Z',
      notify_if_time_to: '17:00:00Z',
    },
    {
      id: 'E1VSUYR3PM58D',
      escalation_chain_id: PAYMENTS_HOURS,
      position: 1,
      type: 'notify_person_next_each_time',
      important: false,
      persons_to_notify_next_each_time: [IVAN, CAROL, FRANK],
    },
    { id: 'E7ECQ6KH5XDW4', escalation_chain_id: PAYMENTS_HOURS, position: 2, type: 'wait', duration: 600 },
    {
      id: 'EWD6AIBQU313L',
      escalation_chain_id: PAYMENTS_HOURS,
      position: 3,
      type: 'notify_if_num_alerts_in_window',
      num_alerts_in_window: 5,
      num_minutes_in_window: 15,
    },
    { id: 'E8MGZ791VYEMX', escalation_chain_id: PAYMENTS_HOURS, position: 4, type: 'notify_whole_channel' },
    {
      id: 'ERTEWNULG1UM6',
      escalation_chain_id: PAYMENTS_HOURS,
      position: 5,
      type: 'declare_incident',
      severity: 'major',
    },
    {
      id: 'EYHGMG4FL8XQ4',
      escalation_chain_id: PAYMENTS_HOURS,
      position: 6,
      type: 'notify_persons',
      important: true,
      persons_to_notify: [CAROL],
    },

    // Mobile: on call first, the whole team after an hour, auto-resolve after a day.
    {
      id: 'EMXQYPFZCEKVI',
      escalation_chain_id: MOBILE_LOW,
      position: 0,
      type: 'notify_on_call_from_schedule',
      important: false,
      notify_on_call_from_schedule: MOBILE_PRIMARY,
    },
    { id: 'EZ9VE7H4CZIMP', escalation_chain_id: MOBILE_LOW, position: 1, type: 'wait', duration: 3600 },
    {
      id: 'E2GRBNQUMT38C',
      escalation_chain_id: MOBILE_LOW,
      position: 2,
      type: 'notify_team_members',
      important: false,
      team_to_notify: MOBILE,
    },
    { id: 'E8Q7YIL1AUMFF', escalation_chain_id: MOBILE_LOW, position: 3, type: 'wait', duration: 86400 },
    { id: 'E8CXWN4CAJWPV', escalation_chain_id: MOBILE_LOW, position: 4, type: 'resolve' },
  ],
  integrations: [
    // Seed 004's integration, as documented.
    {
      id: 'CFRPV98RPR1U8',
      name: 'Grafana :blush:',
      type: 'grafana',
      team_id: null,
      token: 'mReAoNwDm0eMwKo1mTeTwYo',
      default_route: {
        id: 'RVBE4RKQSCGJ2',
        escalation_chain_id: DEFAULT_CHAIN,
        slack: { channel_id: 'CH23212D' },
      },
    },
    {
      id: ALERTMANAGER,
      name: 'Alertmanager (production)',
      description_short: 'Prometheus Alertmanager of the production clusters',
      type: 'alertmanager',
      team_id: SRE,
      token: 'x6oBTZa3p6wDskUrQIFIIulun',
      default_route: {
        id: 'RAGGUDF5BU1B3',
        escalation_chain_id: DEFAULT_CHAIN,
        slack: { channel_id: 'C05INCIDENTS' },
      },
    },
    {
      id: MOBILE_ALERTING,
      name: 'Grafana Alerting (mobile)',
      type: 'grafana_alerting',
      team_id: MOBILE,
      token: 'kHB5tw2QopHtnie3uEoAR3eS0',
      default_route: {
        id: 'RRKG36VIMT8WQ',
        escalation_chain_id: MOBILE_LOW,
        slack: { channel_id: 'C05MOBILE' },
      },
    },
    {
      id: 'CSGS2B6UQAPAH',
      name: 'Payments inbound email',
      type: 'inbound_email',
      team_id: PAYMENTS,
      token: 'NE89YgaZB4eQnyg3WwLP09Jth',
      default_route: {
        id: 'RSQ9FB4ITQHGW',
        escalation_chain_id: PAYMENTS_HOURS,
        slack: { channel_id: 'C05PAYMENTS' },
      },
    },
    {
      id: 'CPAGESRETEAM1',
      name: 'Direct paging (SRE team)',
      type: 'direct_paging',
      team_id: SRE,
      token: 'Pg7sRtE2mQ9vLx4KcW8nYb3Za',
      default_route: { id: 'RPAGESREDEF11', escalation_chain_id: DEFAULT_CHAIN },
    },
  ],
  routes: [
    // SRE's Direct Paging integration: important team pages escalate through SRE critical.
    {
      id: 'RPAGESREIMP11',
      integration_id: 'CPAGESRETEAM1',
      escalation_chain_id: SRE_CRITICAL,
      routing_type: 'jinja2',
      routing_regex: '{{ payload.oncall.important }}',
      position: 0,
    },
    // Alertmanager: critical alerts to SRE critical; anything labelled for payments to Payments.
    {
      id: 'R2M7RDCTWPA7U',
      integration_id: ALERTMANAGER,
      escalation_chain_id: SRE_CRITICAL,
      routing_type: 'regex',
      routing_regex: '"severity": "critical"',
      position: 0,
    },
    {
      id: 'RYHC2FR3NLNF1',
      integration_id: ALERTMANAGER,
      escalation_chain_id: PAYMENTS_HOURS,
      routing_type: 'jinja2',
      routing_regex: '{{ payload.commonLabels.team == "payments" }}',
      position: 1,
      slack: { channel_id: 'C05PAYMENTS' },
    },
    // Grafana Alerting (mobile): crashes page SRE, the rest goes to the mobile chain.
    {
      id: 'RQS5ST38GFDKX',
      integration_id: MOBILE_ALERTING,
      escalation_chain_id: SRE_CRITICAL,
      routing_type: 'regex',
      routing_regex: '"alertname": "(AppCrashRate|BackendDown)"',
      position: 0,
    },
    // A defect lint_oncall finds: a route added for push delivery alerts whose chain was never set,
    // so those alerts open alert groups that page nobody.
    {
      id: 'RPUSHNOCHAIN1',
      integration_id: MOBILE_ALERTING,
      escalation_chain_id: null,
      routing_type: 'regex',
      routing_regex: '"alertname": "PushDeliveryDelayed"',
      position: 1,
    },
  ],
  // An open swap request, so the swap tools have something to show: bob asks for cover.
  shift_swaps: [
    {
      id: 'SSRDEMSWAP1XYZA',
      schedule: PRIMARY_ROTATION,
      swap_start: '2027-01-11T09:00:00Z',
      swap_end: '2027-01-12T09:00:00Z',
      description: 'Dentist in the morning; anyone free to take my day?',
      beneficiary: BOB,
    },
  ],
  engine: {
    round_robin: {},
    // What the status page webhook got back the last two times it was triggered: one failure.
    webhook_responses: [
      {
        webhookId: 'WH6IHJNK4PJAIV',
        at: Date.parse('2026-11-30T14:05:02Z'),
        url: 'https://status.example.com/api/incidents',
        trigger: 'acknowledge',
        requestHeaders: '{"Content-Type": "application/json"}',
        requestData: '{"event": {"type": "acknowledge"}, "alert_group": {"id": "IDEMOGROUP1XY", "title": "Card payments failing"}}',
        statusCode: 503,
        content: 'Service Unavailable',
        eventData: '{"type": "acknowledge", "time": "2026-11-30T14:05:00Z"}',
      },
      {
        webhookId: 'WH6IHJNK4PJAIV',
        at: Date.parse('2026-12-01T09:41:07Z'),
        url: 'https://status.example.com/api/incidents',
        trigger: 'acknowledge',
        requestHeaders: '{"Content-Type": "application/json"}',
        requestData: '{"event": {"type": "acknowledge"}, "alert_group": {"id": "IDEMOGROUP2XY", "title": "Checkout latency above SLO"}}',
        statusCode: 201,
        content: '{"id": "inc_42", "status": "investigating"}',
        eventData: '{"type": "acknowledge", "time": "2026-12-01T09:41:05Z"}',
      },
    ],
  },
};
