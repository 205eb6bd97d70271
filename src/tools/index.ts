/** The tool registry: every tool the server can expose, in the order `tools/list` shows them. */
import type { AnyTool } from './define.js';
import { withDryRun } from './dry-run/dry-run.js';
import { checkAccess } from './check-access.js';
import { getTeam, getUser, listSlackChannels, listTeams, listUserGroups, listUsers, listWebhooks, whoami } from './directory.js';
import { createResolutionNote, deleteAlertGroup, deleteResolutionNote, listAlerts, updateResolutionNote } from './alert-details.js';
import {
  createEscalationChain,
  deleteEscalationChain,
  getEscalationChain,
  listEscalationChains,
  updateEscalationChain,
} from './escalation-chains.js';
import {
  advanceRoundRobin,
  createEscalationPolicy,
  deleteEscalationPolicy,
  getEscalationPolicy,
  listEscalationPolicies,
  updateEscalationPolicy,
} from './escalation-policies.js';
import {
  createIntegration,
  deleteIntegration,
  getIntegration,
  listIntegrations,
  setIntegrationMaintenance,
  updateIntegration,
} from './integrations.js';
import {
  createPersonalNotificationRule,
  deletePersonalNotificationRule,
  listPersonalNotificationRules,
  updatePersonalNotificationRule,
} from './notification-rules.js';
import { currentOncall, nextOncall, previousOncall } from './on-call.js';
import { createEscalation, getAlertGroup, listAlertGroups, simulateEscalation, updateAlertGroup } from './paging.js';
import { createRoute, deleteRoute, listRoutes, updateRoute } from './routes.js';
import { whoIsOnCall } from './who-is-on-call.js';
import { takeShift } from './take-shift.js';
import { simulateAlert } from './insight/simulate-alert.js';
import { coverageReport } from './insight/coverage-report.js';
import { handoffBrief } from './insight/handoff-brief.js';
import { lintOncall } from './insight/lint/tool.js';
import { createWebhook, deleteWebhook, listWebhookResponses, updateWebhook } from './webhooks.js';
import {
  createOnCallShift,
  createSchedule,
  createShiftSwap,
  deleteOnCallShift,
  deleteSchedule,
  getSchedule,
  listOnCallShifts,
  listSchedules,
  listScheduleShifts,
  listShiftSwaps,
  getShiftSwap,
  takeShiftSwap,
  updateShiftSwap,
  deleteShiftSwap,
  updateOnCallShift,
  updateSchedule,
} from './schedules.js';

const TOOLS: readonly AnyTool[] = [
  whoIsOnCall,
  lintOncall,
  listEscalationChains,
  getEscalationChain,
  createEscalationChain,
  updateEscalationChain,
  deleteEscalationChain,
  currentOncall,
  previousOncall,
  nextOncall,
  listEscalationPolicies,
  getEscalationPolicy,
  createEscalationPolicy,
  updateEscalationPolicy,
  deleteEscalationPolicy,
  advanceRoundRobin,
  createEscalation,
  listAlertGroups,
  getAlertGroup,
  updateAlertGroup,
  deleteAlertGroup,
  listAlerts,
  createResolutionNote,
  updateResolutionNote,
  deleteResolutionNote,
  simulateEscalation,
  simulateAlert,
  listIntegrations,
  getIntegration,
  createIntegration,
  updateIntegration,
  deleteIntegration,
  setIntegrationMaintenance,
  listRoutes,
  createRoute,
  updateRoute,
  deleteRoute,
  listSchedules,
  getSchedule,
  listScheduleShifts,
  createSchedule,
  updateSchedule,
  deleteSchedule,
  listOnCallShifts,
  createOnCallShift,
  updateOnCallShift,
  deleteOnCallShift,
  listShiftSwaps,
  getShiftSwap,
  createShiftSwap,
  takeShiftSwap,
  updateShiftSwap,
  deleteShiftSwap,
  takeShift,
  coverageReport,
  handoffBrief,
  listUsers,
  getUser,
  whoami,
  listPersonalNotificationRules,
  createPersonalNotificationRule,
  updatePersonalNotificationRule,
  deletePersonalNotificationRule,
  checkAccess,
  listTeams,
  getTeam,
  listUserGroups,
  listWebhooks,
  createWebhook,
  updateWebhook,
  deleteWebhook,
  listWebhookResponses,
  listSlackChannels,
];

/** Every config write listed in dry-run/subjects.ts takes `dry_run`. */
export const ALL_TOOLS: readonly AnyTool[] = TOOLS.map(withDryRun);
