/**
 * The GraphQL side of access control, as one yoga plugin: the caller's role is checked against
 * every root field before anything runs, then the operation executes inside a transaction scoped
 * to the caller's tenant (src/db/tenant-scope.ts), work queued with `ctx.afterCommit` runs once it
 * has committed, and mutations are written to the audit log.
 */
import { getOperationAST, type DocumentNode, type GraphQLError, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
// yoga's own GraphQLError constructor: the one its error masking recognises, also under test
// runners that load graphql's ESM build next to yoga's CommonJS one.
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { typeBrandKey } from '@pothos/core';
import type { Database, Db, DbOrTx } from '../db/client.js';
import { readAsTenant, withTenant } from '../db/tenant-scope.js';
import { appendAudit, type AuditEntry } from '../db/tenants.js';
import type { RelifeContext } from '../schema/builder.js';
import { hasRole, requiredRole, type Principal } from './roles.js';

/**
 * Root fields that manage their own short transactions through `ctx.withDb` because they compute
 * for long between reads (an in-request optimisation): holding one transaction open through the
 * computation would hold a PostgreSQL connection, and PGlite's only one.
 */
export const SELF_SCOPED_FIELDS: ReadonlySet<string> = new Set(['compareStrategies']);

/** Stands in for `ctx.db` where no transaction is open: any use is a bug, reported as such. */
export const NO_DB: Db = new Proxy({} as Db, {
  get() {
    throw new Error('internal: this resolver has no open transaction; use ctx.withDb');
  },
});

interface RootField {
  name: string;
}

/** The root fields an operation selects, through fragments and inline fragments. */
export function rootFields(op: OperationDefinitionNode, document: DocumentNode): RootField[] {
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === 'FragmentDefinition' ? [[d.name.value, d] as const] : [])));
  const out: RootField[] = [];
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const s of set.selections) {
      if (s.kind === 'Field') out.push({ name: s.name.value });
      else if (s.kind === 'InlineFragment') walk(s.selectionSet);
      else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        const f = fragments.get(s.name.value);
        if (f) walk(f.selectionSet);
      }
    }
  };
  walk(op.selectionSet);
  return out.filter((f) => !f.name.startsWith('__'));
}

function forbidden(field: string, needed: string, principal: Principal): GraphQLError {
  return createGraphQLError(`${field} needs the ${needed} role; this token has the ${principal.role} role`, {
    extensions: { code: 'FORBIDDEN', http: { status: 403 } },
  });
}

function checkRoles(op: OperationDefinitionNode, fields: RootField[], principal: Principal | undefined): GraphQLError | null {
  if (!principal) return createGraphQLError('not authenticated', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
  for (const f of fields) {
    const needed = requiredRole(op.operation, f.name);
    if (!hasRole(principal, needed)) return forbidden(f.name, needed, principal);
  }
  return null;
}

const AUDIT = Symbol('relifeAudit');
type AuditedContext = RelifeContext & { [AUDIT]?: AuditEntry[] };

/** Argument values that name objects (`id`, `fleetId`, `applicationIds`…), never other input. */
export function idArguments(args: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (!args || typeof args !== 'object' || Array.isArray(args)) return out;
  for (const [key, value] of Object.entries(args as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (/^(id|ids)$|Ids?$/.test(key) && (typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string')))) out[path] = value;
    else if (value && typeof value === 'object' && !Array.isArray(value)) idArguments(value, path, out);
  }
  return out;
}

/**
 * The error type name when a mutation answered with one of its declared errors. The errors plugin
 * hands those over wrapped in a proxy whose prototype chain is proxied too (so that `instanceof
 * Error` is false); its type brand is the error class.
 */
export function errorResult(result: unknown): string | undefined {
  if (result instanceof Error) return result.name;
  if (!result || typeof result !== 'object') return undefined;
  const brand = (result as Record<PropertyKey, unknown>)[typeBrandKey];
  if (typeof brand === 'function' && (brand === Error || brand.prototype instanceof Error)) {
    const name = (result as { name?: unknown }).name;
    return typeof name === 'string' ? name : brand.name;
  }
  return undefined;
}

/**
 * The ID of what a mutation created or changed, from its result: the object's own `id`, the IDs
 * of the objects a payload carries (`{ fleet: { id } }` → `{ fleet: id }`), or an ID it returns.
 */
export function resultIds(result: unknown): unknown {
  if (typeof result === 'string') return result;
  if (!result || typeof result !== 'object' || Array.isArray(result)) return undefined;
  const own = (result as { id?: unknown }).id;
  if (typeof own === 'string') return own;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(result as Record<string, unknown>)) {
    const id = value && typeof value === 'object' && !Array.isArray(value) ? (value as { id?: unknown }).id : undefined;
    if (typeof id === 'string') out[key] = id;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

const instrumented = new WeakSet<GraphQLSchema>();

/**
 * Wraps every mutation field's resolver once so that it records what it was asked to change and
 * how it ended (`ok`, or the error type the errors plugin turned into a result).
 */
export function instrumentMutations(schema: GraphQLSchema): void {
  if (instrumented.has(schema)) return;
  instrumented.add(schema);
  const fields = schema.getMutationType()?.getFields() ?? {};
  for (const field of Object.values(fields)) {
    const resolve = field.resolve;
    if (!resolve) continue;
    field.resolve = async (root, args, ctx: AuditedContext, info) => {
      const entry = { action: field.name, target: idArguments(args), outcome: 'error' };
      try {
        const result = await resolve(root, args, ctx, info);
        const failed = errorResult(result);
        entry.outcome = failed ?? 'ok';
        const made = failed ? undefined : resultIds(result);
        if (made !== undefined) entry.target = { ...entry.target, result: made };
        return result;
      } finally {
        const p = ctx.principal;
        ctx[AUDIT]?.push({ ...entry, actor: p?.actor ?? 'unknown', role: p?.role ?? 'none' });
      }
    };
  }
}

function logError(what: string, error: unknown): void {
  console.error(`[relife] ${what}: ${error instanceof Error ? error.message : String(error)}`);
}

export function tenantExecutionPlugin(database: Database): Plugin<RelifeContext> {
  const scopedRunner = (principal: Principal) => <T>(fn: (db: DbOrTx) => Promise<T>) => withTenant(database.db, principal.tenantId, fn);
  return {
    onExecute({ setExecuteFn, executeFn }) {
      setExecuteFn(async (args) => {
        const ctx = args.contextValue as AuditedContext;
        const op = getOperationAST(args.document, args.operationName);
        if (!op) return executeFn(args);
        const fields = rootFields(op, args.document);
        const denied = checkRoles(op, fields, ctx.principal);
        if (denied) return { errors: [denied] };
        const principal = ctx.principal!;
        const after: (() => Promise<unknown>)[] = [];
        ctx.afterCommit = (fn) => void after.push(fn);
        if (op.operation === 'mutation') ctx[AUDIT] = [];
        let result;
        try {
          if (fields.length > 0 && fields.every((f) => SELF_SCOPED_FIELDS.has(f.name))) {
            ctx.db = NO_DB;
            ctx.withDb = scopedRunner(principal);
            result = await executeFn(args);
          } else if (op.operation === 'query') {
            // A query reads: on PostgreSQL on sessions scoped to the tenant from their start,
            // without a transaction (src/db/tenant-scope.ts, `TenantSessions`).
            result = await readAsTenant(database, principal.tenantId, (db) => {
              ctx.db = db as Db;
              ctx.withDb = (fn) => fn(db);
              return executeFn(args);
            });
          } else {
            result = await withTenant(database.db, principal.tenantId, async (tx) => {
              ctx.db = tx as unknown as Db;
              ctx.withDb = (fn) => fn(tx);
              return executeFn(args);
            });
          }
          for (const fn of after) await fn().catch((error: unknown) => logError('after commit', error));
        } finally {
          ctx.db = NO_DB;
          const audit = ctx[AUDIT];
          if (audit && audit.length > 0) {
            await withTenant(database.db, principal.tenantId, (tx) => appendAudit(tx, audit)).catch((error: unknown) => logError('audit log', error));
          }
        }
        return result;
      });
    },
    onSubscribe({ setSubscribeFn, subscribeFn }) {
      setSubscribeFn(async (args) => {
        const ctx = args.contextValue as RelifeContext;
        const op = getOperationAST(args.document, args.operationName);
        if (op) {
          const denied = checkRoles(op, rootFields(op, args.document), ctx.principal);
          if (denied) return { errors: [denied] };
        }
        // A subscription lives for minutes: each of its reads takes its own short transaction.
        ctx.db = NO_DB;
        ctx.withDb = scopedRunner(ctx.principal!);
        return subscribeFn(args);
      });
    },
  };
}
