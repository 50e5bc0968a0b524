/**
 * The audit log, read back: `auditLog`, newest first, for admins of the caller's tenant only
 * (src/auth/roles.ts lists it among the admin queries; the request's tenant transaction and
 * row-level security keep every other tenant's entries out). Entries are written by
 * src/auth/graphql.ts (every mutation) and by `relife token create|revoke`.
 */
import { resolveCursorConnection, type ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import { createGraphQLError } from 'graphql-yoga';
import { pageAudit, type AuditLogRow } from '../db/tenants.js';
import { builder, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './builder.js';

const AuditEntryRef = builder.objectRef<AuditLogRow>('AuditEntry').implement({
  description: 'Who changed what: one mutation (or token command) of this tenant',
  fields: (t) => ({
    at: t.field({ type: 'DateTime', resolve: (e) => e.at }),
    actor: t.exposeString('actor', { description: '`token:<prefix>`, `env:<prefix>`, `loopback` (protected mode) or `cli`' }),
    role: t.exposeString('role', { description: 'The role the actor acted with' }),
    action: t.exposeString('action', { description: 'The mutation’s name, `token create` or `token revoke`' }),
    target: t.field({
      type: 'JSON',
      description: 'The IDs the action named (its ID arguments) and, under `result`, the ID of what it created or changed; never other input',
      resolve: (e) => e.target,
    }),
    outcome: t.exposeString('outcome', { description: '`ok`, or the error type (ValidationError, NotFoundError, ConflictError, error)' }),
  }),
});

/** Cursors are the entries' sequence numbers. */
function cursorId(cursor: string | null | undefined, arg: string): number | null {
  if (cursor == null) return null;
  if (!/^[1-9][0-9]{0,15}$/.test(cursor)) {
    throw createGraphQLError(`auditLog: ${arg} must be a cursor of this connection, got "${cursor.slice(0, 40)}"`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return Number(cursor);
}

builder.queryFields((t) => ({
  auditLog: t.connection({
    type: AuditEntryRef,
    description: `The tenant’s audit log, newest first (admin role); at most ${MAX_PAGE_SIZE} per page`,
    resolve: (_root, args, ctx) =>
      resolveCursorConnection(
        { args, toCursor: (e) => String(e.id), defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE },
        ({ before, after, limit, inverted }: ResolveCursorConnectionArgs) =>
          pageAudit(ctx.db, {
            // Newest first: "after" a cursor is older, "before" it is newer.
            olderThanId: cursorId(after, 'after'),
            newerThanId: cursorId(before, 'before'),
            limit,
            oldestFirst: inverted,
          }),
      ),
  }),
}));
