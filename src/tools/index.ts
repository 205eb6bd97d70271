/** The tool registry: every tool the server can expose, in the order `tools/list` shows them. */
import type { AnyTool } from './define.js';
import { checkAccess } from './check-access.js';
import { getUser, listTeams, listUserGroups, listUsers, listWebhooks, whoami } from './directory.js';
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
import { currentOncall, nextOncall, previousOncall } from './on-call.js';
import { createEscalation, getAlertGroup, listAlertGroups, simulateEscalation, updateAlertGroup } from './paging.js';
import { createRoute, deleteRoute, listRoutes, updateRoute } from './routes.js';
import { whoIsOnCall } from './who-is-on-call.js';
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
  takeShiftSwap,
  updateOnCallShift,
  updateSchedule,
} from './schedules.js';

export const ALL_TOOLS: readonly AnyTool[] = [
  whoIsOnCall,
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
  simulateEscalation,
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
  createShiftSwap,
  takeShiftSwap,
  listUsers,
  getUser,
  whoami,
  checkAccess,
  listTeams,
  listUserGroups,
  listWebhooks,
];
