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
  /** CSV rows one import request may carry (the server's limits; else RELIFE_IMPORT_SYNC_MAX_ROWS). */
  importSyncMaxRows?: number;
}

/** Hard cap on `first`/`last` of every connection. */
export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 100;

// Error types live below the schema so that services and the CLI throw the same ones.
export { ValidationError, type Problem } from '../validation/problem.js';
export { ConflictError, NotFoundError } from '../services/errors.js';

// Global IDs: src/ids.ts (one definition for the routes, the jobs and the schema).
export { decodeGlobalId, encodeGlobalId, idOfType } from '../ids.js';

import { decodeGlobalId, encodeGlobalId } from '../ids.js';

export const builder = new SchemaBuilder<{
  Context: RelifeContext;
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string | number };
    DateTime: { Input: Date; Output: Date | string };
    JSON: { Input: unknown; Output: unknown };
    File: { Input: File; Output: never };
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

builder.scalarType('File', {
  description: 'A file sent with the request (GraphQL multipart request specification)',
  serialize: () => {
    throw new TypeError('File is an input-only scalar');
  },
  // graphql-yoga hands over its own WHATWG File (not always Node's global class): check the shape.
  parseValue: (value) => {
    const v = value as Partial<File> | null;
    if (v && typeof v === 'object' && typeof v.arrayBuffer === 'function' && typeof v.size === 'number') return v as File;
    throw new TypeError('File: expected a file part of a multipart request');
  },
});
