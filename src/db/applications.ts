/** Applications as the twin's ApplicationSpec. */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { ApplicationKind } from '../twin/types.js';
import type { ConfiguredApplication } from '../validation/application.js';
import type { DbOrTx } from './client.js';
import { applications, type ApplicationRow } from './schema/index.js';
import { tenantWhere } from './tenant-scope.js';

export type { ApplicationRow };
/**
 * Applications come back as configured: a share-based capacity has `capacityLimitKwh` NaN until
 * planning fixes it for a fleet (src/planning/capacity-fit.ts).
 */
type ApplicationSpec = ConfiguredApplication;
export type ApplicationInput = Omit<ConfiguredApplication, 'id'>;

export function rowToApplication(row: ApplicationRow): ApplicationSpec {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as ApplicationKind,
    duty: row.duty,
    requirements: row.requirements,
    capacityLimitKwh: row.capacityLimitKwh ?? Number.NaN,
    capacitySharePercent: row.capacitySharePercent,
    economics: row.economics,
    envelopes: row.envelopes,
  };
}

/** Every application, in creation order then name (stable: the defaults come out as seeded). */
export async function loadApplications(db: DbOrTx): Promise<ApplicationSpec[]> {
  const rows = await db.select().from(applications).where(tenantWhere(db, applications.tenantId)).orderBy(asc(applications.createdAt), asc(applications.name));
  return rows.map(rowToApplication);
}

export async function getApplication(db: DbOrTx, id: string): Promise<ApplicationSpec | undefined> {
  const [row] = await db.select().from(applications).where(and(eq(applications.id, id), tenantWhere(db, applications.tenantId)));
  return row ? rowToApplication(row) : undefined;
}

export async function getApplicationsByIds(db: DbOrTx, ids: readonly string[]): Promise<ApplicationSpec[]> {
  if (ids.length === 0) return [];
  const rows = await db.select().from(applications).where(and(inArray(applications.id, [...ids]), tenantWhere(db, applications.tenantId)));
  return rows.map(rowToApplication);
}

export async function getApplicationByName(db: DbOrTx, name: string): Promise<ApplicationSpec | undefined> {
  const [row] = await db.select().from(applications).where(and(eq(applications.name, name), tenantWhere(db, applications.tenantId)));
  return row ? rowToApplication(row) : undefined;
}

export async function insertApplication(db: DbOrTx, input: ApplicationInput): Promise<ApplicationSpec> {
  const [row] = await db.insert(applications).values(toColumns(input)).returning();
  return rowToApplication(row);
}

/** Replaces an application's fields; undefined if no such id. */
export async function replaceApplication(db: DbOrTx, id: string, input: ApplicationInput): Promise<ApplicationSpec | undefined> {
  const [row] = await db
    .update(applications)
    .set({ ...toColumns(input), updatedAt: sql`now()` })
    .where(and(eq(applications.id, id), tenantWhere(db, applications.tenantId)))
    .returning();
  return row ? rowToApplication(row) : undefined;
}

export async function deleteApplication(db: DbOrTx, id: string): Promise<boolean> {
  const rows = await db.delete(applications).where(and(eq(applications.id, id), tenantWhere(db, applications.tenantId))).returning({ id: applications.id });
  return rows.length > 0;
}

function toColumns(a: ApplicationInput) {
  return {
    name: a.name,
    kind: a.kind,
    duty: a.duty,
    requirements: a.requirements,
    economics: a.economics,
    envelopes: a.envelopes,
    capacityLimitKwh: a.capacitySharePercent != null ? null : a.capacityLimitKwh,
    capacitySharePercent: a.capacitySharePercent ?? null,
  };
}
