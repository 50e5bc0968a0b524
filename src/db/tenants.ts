/**
 * Tenants, API tokens and the audit log. Tokens are looked up before any tenant is known, so these
 * functions run on the service's own (unscoped) handle; `relife_app` has no access to api_tokens.
 */
import { isUuid } from '../ids.js';
import { and, asc, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from './client.js';
import { apiTokens, applications, auditLog, tenants, type ApiRole, type ApiTokenRow, type AuditLogRow, type TenantRow } from './schema/index.js';
import { tenantWhere, withTenant } from './tenant-scope.js';

export type { ApiRole, ApiTokenRow, AuditLogRow, TenantRow };

const TENANT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export function checkTenantName(name: string): string {
  if (!TENANT_NAME.test(name)) {
    throw new Error(`tenant name "${name}" must be 1–63 letters, digits, ".", "_" or "-", starting with a letter or digit`);
  }
  return name;
}

export async function getTenantByName(db: DbOrTx, name: string): Promise<TenantRow | undefined> {
  const [row] = await db.select().from(tenants).where(eq(tenants.name, name));
  return row;
}

export async function getTenant(db: DbOrTx, id: string): Promise<TenantRow | undefined> {
  const [row] = await db.select().from(tenants).where(eq(tenants.id, id));
  return row;
}

/**
 * The tenant named `name`, created with `starterApplications` when new (the callers give the
 * demo's four second-life uses, so a new organisation starts where the demo does).
 */
export async function ensureTenant(
  db: DbOrTx,
  name: string,
  starterApplications: readonly (typeof applications.$inferInsert)[] = [],
): Promise<{ tenant: TenantRow; created: boolean }> {
  checkTenantName(name);
  const existing = await getTenantByName(db, name);
  if (existing) return { tenant: existing, created: false };
  return db.transaction(async (tx) => {
    const [inserted] = await tx.insert(tenants).values({ name }).onConflictDoNothing().returning();
    if (!inserted) return { tenant: (await getTenantByName(tx, name))!, created: false };
    await withTenant(tx, inserted.id, async (scoped) => {
      for (const a of starterApplications) await scoped.insert(applications).values({ ...a, envelopes: a.envelopes.map((e) => ({ ...e })) });
    });
    return { tenant: inserted, created: true };
  });
}

export async function insertApiToken(
  db: DbOrTx,
  row: { tenantId: string; role: ApiRole; label: string | null; tokenHash: string; prefix: string },
): Promise<ApiTokenRow> {
  const [inserted] = await db.insert(apiTokens).values(row).returning();
  return inserted!;
}

/** The live (not revoked) token with this hash, with its tenant's name. */
export async function findApiToken(db: DbOrTx, tokenHash: string): Promise<(ApiTokenRow & { tenantName: string }) | undefined> {
  const [row] = await db
    .select({ token: apiTokens, tenantName: tenants.name })
    .from(apiTokens)
    .innerJoin(tenants, eq(tenants.id, apiTokens.tenantId))
    .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)));
  return row ? { ...row.token, tenantName: row.tenantName } : undefined;
}

export async function countLiveApiTokens(db: DbOrTx): Promise<number> {
  return db.$count(apiTokens, isNull(apiTokens.revokedAt));
}

export async function listApiTokens(db: DbOrTx, tenantId?: string): Promise<(ApiTokenRow & { tenantName: string })[]> {
  const rows = await db
    .select({ token: apiTokens, tenantName: tenants.name })
    .from(apiTokens)
    .innerJoin(tenants, eq(tenants.id, apiTokens.tenantId))
    .where(tenantId ? eq(apiTokens.tenantId, tenantId) : undefined)
    .orderBy(asc(tenants.name), asc(apiTokens.createdAt));
  return rows.map((r) => ({ ...r.token, tenantName: r.tenantName }));
}

/** Revokes a token by id or by its listed prefix; the revoked row, or undefined. */
export async function revokeApiToken(db: DbOrTx, idOrPrefix: string, tenantId?: string): Promise<ApiTokenRow[]> {
  const byId = isUuid(idOrPrefix);
  return db
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        byId ? eq(apiTokens.id, idOrPrefix) : eq(apiTokens.prefix, idOrPrefix),
        isNull(apiTokens.revokedAt),
        tenantId ? eq(apiTokens.tenantId, tenantId) : undefined,
      ),
    )
    .returning();
}

export interface AuditEntry {
  actor: string;
  role: string;
  action: string;
  target: Record<string, unknown>;
  outcome: string;
}

/** Appends audit rows (on a tenant-scoped handle they go to that tenant). */
export async function appendAudit(db: DbOrTx, entries: readonly AuditEntry[], tenantId?: string): Promise<void> {
  if (entries.length === 0) return;
  await db.insert(auditLog).values(entries.map((e) => ({ ...e, ...(tenantId ? { tenantId } : {}) })));
}

/** The newest audit rows first (on a scoped handle: that tenant's). */
export async function listAudit(db: DbOrTx, limit: number): Promise<AuditLogRow[]> {
  return pageAudit(db, { limit });
}

/**
 * A page of the audit log in id order, newest first (`oldestFirst` reverses it), between two
 * ids (exclusive). On a scoped handle only that tenant's rows: its filter and row-level security.
 */
export async function pageAudit(
  db: DbOrTx,
  page: { olderThanId?: number | null; newerThanId?: number | null; limit: number; oldestFirst?: boolean },
): Promise<AuditLogRow[]> {
  return db
    .select()
    .from(auditLog)
    .where(
      and(
        tenantWhere(db, auditLog.tenantId),
        page.olderThanId != null ? lt(auditLog.id, page.olderThanId) : undefined,
        page.newerThanId != null ? gt(auditLog.id, page.newerThanId) : undefined,
      ),
    )
    .orderBy(page.oldestFirst ? asc(auditLog.id) : desc(auditLog.id))
    .limit(page.limit);
}
