/**
 * API tokens: 32 random bytes (base64url) behind a `rlf_` prefix. Only their SHA-256 is stored: a
 * token carries 256 bits of entropy, so a slow password hash would add cost without adding safety.
 */
import { DEFAULT_APPLICATIONS } from '../demo/default-applications.js';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DbOrTx } from '../db/client.js';
import { ensureTenant, insertApiToken, type ApiRole, type ApiTokenRow } from '../db/tenants.js';

export const TOKEN_PREFIX = 'rlf_';
/** Characters of a token shown by `relife token list` and accepted by `relife token revoke`. */
export const SHOWN_PREFIX_LENGTH = 12;
/** Tokens given in RELIFE_API_TOKENS must be at least this long. */
export const MIN_TOKEN_LENGTH = 24;

export function generateToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** Creates a token for `tenantName` (the tenant too, if new); the token is returned once, here. */
export async function createApiToken(
  db: DbOrTx,
  input: { tenantName: string; role: ApiRole; label?: string | null },
): Promise<{ token: string; row: ApiTokenRow; tenantCreated: boolean }> {
  const { tenant, created } = await ensureTenant(db, input.tenantName, DEFAULT_APPLICATIONS);
  const token = generateToken();
  const row = await insertApiToken(db, {
    tenantId: tenant.id,
    role: input.role,
    label: input.label ?? null,
    tokenHash: hashToken(token),
    prefix: token.slice(0, SHOWN_PREFIX_LENGTH),
  });
  return { token, row, tenantCreated: created };
}
