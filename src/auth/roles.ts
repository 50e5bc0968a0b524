/**
 * Who may do what. A request acts as a Principal: a tenant and a role. `viewer` reads; `planner`
 * also imports, creates fleets, starts, cancels and selects runs; `admin` also deletes and manages
 * applications and tokens. Every new mutation needs `planner` unless listed here, so a field added
 * later is never open to viewers by omission.
 */
import type { ApiRole } from '../db/schema/tenants.js';

export type { ApiRole };
export { API_ROLES } from '../db/schema/tenants.js';

export interface Principal {
  tenantId: string;
  tenantName: string;
  role: ApiRole;
  /** How the audit log names the caller: `token:<prefix>`, `env:<prefix>`, `loopback`. */
  actor: string;
  /** Key of the caller's rate-limit bucket. */
  rateKey: string;
}

const RANK: Record<ApiRole, number> = { viewer: 0, planner: 1, admin: 2 };

export function hasRole(principal: Pick<Principal, 'role'>, needed: ApiRole): boolean {
  return RANK[principal.role] >= RANK[needed];
}

/** Mutations only an admin may call. */
export const ADMIN_MUTATIONS: ReadonlySet<string> = new Set(['deleteFleet', 'createApplication', 'updateApplication', 'deleteApplication']);

/** Queries only an admin may call. */
export const ADMIN_QUERIES: ReadonlySet<string> = new Set(['auditLog']);

export function requiredRole(operation: 'query' | 'mutation' | 'subscription', field: string): ApiRole {
  if (operation === 'mutation') return ADMIN_MUTATIONS.has(field) ? 'admin' : 'planner';
  return ADMIN_QUERIES.has(field) ? 'admin' : 'viewer';
}

/** HTTP routes: reads are for viewers, anything else needs a planner unless the route says more. */
export function requiredRouteRole(method: string, declared?: ApiRole): ApiRole {
  return declared ?? (method === 'GET' || method === 'HEAD' ? 'viewer' : 'planner');
}

export function parseRole(value: string, source: string): ApiRole {
  if (value === 'viewer' || value === 'planner' || value === 'admin') return value;
  throw new Error(`${source}: role must be viewer, planner or admin, got "${value}"`);
}
