/**
 * The one Pothos SchemaBuilder of Relife (relay + errors + dataloader plugins) and its context.
 * Every src/schema/<thing>.ts file adds its types to this builder; src/schema/index.ts imports
 * them all and builds the schema.
 */
import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import type { Principal } from '../auth/roles.js';
import type { Database, Db, DbOrTx } from '../db/client.js';

/**
 * Long-lived services the server hands to resolvers next to the database (a job queue, a worker
 * pool…). Other layers add their entries by declaration merging:
 *   declare module '../schema/builder.js' { interface RelifeServices { jobs: JobService } }
 * They are optional at run time (a test server may start without them): check before use.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface RelifeServices {}

export interface RelifeContext {
  /** The service's own handle: NOT scoped to the caller's tenant. Resolvers use `db`. */
  database: Database;
  /** The request's transaction, scoped to the caller's tenant (row-level security). */
  db: Db;
  services: Partial<RelifeServices>;
  request?: Request;
  /** Who is asking: tenant and role (src/auth). */
  principal?: Principal;
  /**
   * Runs `fn` with a handle scoped to the caller's tenant: the request's transaction, or a short
   * transaction of its own in subscriptions and self-scoped fields (src/auth/graphql.ts).
   */
  withDb<T>(fn: (db: DbOrTx) => Promise<T>): Promise<T>;
  /** Work to do once the request's transaction has committed (enqueueing a run, ANALYZE). */
  afterCommit(fn: () => Promise<unknown>): void;
}

/** Hard cap on `first`/`last` of every connection. */
export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 100;

/** One problem with an input: the CSV row (1-based, header = row 1) and column, or a field path. */
export interface Problem {
  row: number | null;
  column: string | null;
  message: string;
}

/** Bad input, with every problem found (not just the first). Shown to clients as ValidationError. */
export class ValidationError extends Error {
  override name = 'ValidationError';
  constructor(
    message: string,
    readonly problems: Problem[],
  ) {
    super(message);
  }
}

/** A referenced object (by global ID) does not exist. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
  constructor(
    readonly typename: string,
    readonly id: string,
  ) {
    super(`${typename} ${id} not found`);
  }
}

/** The request conflicts with stored state (duplicate name, object in use…). */
export class ConflictError extends Error {
  override name = 'ConflictError';
}

/**
 * Global IDs are base64url("Typename:id") so they can sit in URL paths (/fleets/{id}/modules.csv)
 * without escaping. Decoding also accepts standard base64.
 */
export function encodeGlobalId(typename: string, id: string): string {
  return Buffer.from(`${typename}:${id}`, 'utf8').toString('base64url');
}

export function decodeGlobalId(globalId: string): { typename: string; id: string } {
  const text = Buffer.from(globalId, 'base64url').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) throw new TypeError(`invalid global ID "${globalId}"`);
  return { typename: text.slice(0, colon), id: text.slice(colon + 1) };
}

/** The database id in a global ID of the expected type, or null. */
export function idOfType(globalId: string, typename: string): string | null {
  try {
    const d = decodeGlobalId(globalId);
    return d.typename === typename ? d.id : null;
  } catch {
    return null;
  }
}

export const builder = new SchemaBuilder<{
  Context: RelifeContext;
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string | number };
    DateTime: { Input: Date; Output: Date | string };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  plugins: [ErrorsPlugin, RelayPlugin, DataloaderPlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    encodeGlobalID: (typename, id) => encodeGlobalId(typename, String(id)),
    decodeGlobalID: (globalID) => decodeGlobalId(globalID),
  },
  errors: {
    defaultTypes: [],
  },
});

builder.queryType({});
builder.mutationType({});

builder.scalarType('DateTime', {
  description: 'ISO-8601 date and time (UTC)',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(value).toISOString()),
  parseValue: (value) => {
    const d = new Date(String(value));
    if (Number.isNaN(d.getTime())) throw new TypeError(`DateTime: cannot parse ${JSON.stringify(value)}`);
    return d;
  },
});

builder.scalarType('JSON', {
  description: 'Arbitrary JSON value',
  serialize: (value) => value,
  parseValue: (value) => value,
});
