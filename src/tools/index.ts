/** The tool registry: every tool the server can expose, in the order `tools/list` shows them. */
import type { AnyTool } from './define.js';
import { getUser, listTeams, listUserGroups, listUsers, listWebhooks } from './directory.js';
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
import { createRoute, deleteRoute, listRoutes, updateRoute } from './routes.js';

export const ALL_TOOLS: readonly AnyTool[] = [
  listEscalationChains,
  getEscalationChain,
  createEscalationChain,
  updateEscalationChain,
  deleteEscalationChain,
  listEscalationPolicies,
  getEscalationPolicy,
  createEscalationPolicy,
  updateEscalationPolicy,
  deleteEscalationPolicy,
  advanceRoundRobin,
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
  listUsers,
  getUser,
  listTeams,
  listUserGroups,
  listWebhooks,
];
