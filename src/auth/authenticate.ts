/**
 * From a request to a Principal. `Authorization: Bearer TOKEN` names a token of RELIFE_API_TOKENS
 * or of the database. Without one, protected mode (Redis's convention) applies: while no token
 * exists at all, a request from this machine acts as the admin of tenant `default`, any other gets
 * 401 saying how to create a token; once a token exists, every request needs one.
 *
 * Lookups are cached for a few seconds (TOKEN_CACHE_MS), so a token revoked by the CLI in another
 * process stops working within that time.
 */
import { DEFAULT_APPLICATIONS } from '../demo/default-applications.js';
import type { Database } from '../db/client.js';
import { DEFAULT_TENANT_ID, DEFAULT_TENANT_NAME } from '../db/tenant-scope.js';
import { countLiveApiTokens, ensureTenant, findApiToken } from '../db/tenants.js';
import { parseRole, type ApiRole, type Principal } from './roles.js';
import { hashToken, MIN_TOKEN_LENGTH, SHOWN_PREFIX_LENGTH } from './tokens.js';

export const TOKEN_CACHE_MS = 5_000;
const CACHE_MAX_ENTRIES = 10_000;

export interface EnvToken {
  token: string;
  tenantName: string;
  role: ApiRole;
}

/** `RELIFE_API_TOKENS="TOKEN=TENANT[:ROLE],…"` (role default planner). */
export function parseEnvTokens(value: string | undefined): EnvToken[] {
  if (!value || value.trim() === '') return [];
  return value.split(',').map((entry, i) => {
    const item = entry.trim();
    const eq = item.lastIndexOf('=');
    if (eq <= 0) throw new Error(`RELIFE_API_TOKENS entry ${i + 1}: expected TOKEN=TENANT[:ROLE]`);
    const token = item.slice(0, eq);
    const [tenantName, role = 'planner', ...rest] = item.slice(eq + 1).split(':');
    if (rest.length > 0 || !tenantName) throw new Error(`RELIFE_API_TOKENS entry ${i + 1}: expected TOKEN=TENANT[:ROLE]`);
    if (token.length < MIN_TOKEN_LENGTH) throw new Error(`RELIFE_API_TOKENS entry ${i + 1}: a token must be at least ${MIN_TOKEN_LENGTH} characters`);
    return { token, tenantName, role: parseRole(role, `RELIFE_API_TOKENS entry ${i + 1}`) };
  });
}

export type AuthOutcome = { ok: true; principal: Principal } | { ok: false; status: 401; message: string };

export interface Authenticator {
  authenticate(request: Request, remoteAddress: string | undefined): Promise<AuthOutcome>;
  /** Forget cached lookups (after creating or revoking a token in this process). */
  invalidate(): void;
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

const NEEDS_TOKEN =
  'this server requires an API token: send "Authorization: Bearer TOKEN" (create one with: relife token create --tenant NAME)';
const PROTECTED_MODE =
  'no API token exists yet, so only requests from this machine are served (protected mode). Create one on the server with "relife token create --tenant NAME" (or set RELIFE_API_TOKENS) and send it as "Authorization: Bearer TOKEN"';
const BAD_TOKEN = 'invalid or revoked API token';

export async function createAuthenticator(database: Database, envTokens: readonly EnvToken[] = []): Promise<Authenticator> {
  const env = new Map<string, Principal>();
  for (const t of envTokens) {
    const { tenant } = await ensureTenant(database.db, t.tenantName, DEFAULT_APPLICATIONS);
    env.set(hashToken(t.token), {
      tenantId: tenant.id,
      tenantName: tenant.name,
      role: t.role,
      actor: `env:${t.token.slice(0, SHOWN_PREFIX_LENGTH)}`,
      rateKey: `env:${hashToken(t.token).slice(0, 16)}`,
    });
  }
  const cache = new Map<string, { at: number; principal: Principal | null }>();
  const inFlight = new Map<string, Promise<Principal | null>>();
  let anyToken: { at: number; value: Promise<boolean> } | undefined;

  const tokensExist = (now: number): Promise<boolean> => {
    if (env.size > 0) return Promise.resolve(true);
    if (!anyToken || now - anyToken.at > TOKEN_CACHE_MS) {
      const value = countLiveApiTokens(database.db).then((n) => n > 0);
      anyToken = { at: now, value };
      value.catch(() => {
        anyToken = undefined;
      });
    }
    return anyToken.value;
  };

  const lookup = async (hash: string, now: number): Promise<Principal | null> => {
    const fromEnv = env.get(hash);
    if (fromEnv) return fromEnv;
    const hit = cache.get(hash);
    if (hit && now - hit.at <= TOKEN_CACHE_MS) return hit.principal;
    // One lookup per token at a time: when the cached entry expires under load, the requests
    // that arrive meanwhile wait for it instead of each taking a database connection.
    let pending = inFlight.get(hash);
    if (!pending) {
      pending = findApiToken(database.db, hash)
        .then((row) => {
          const principal: Principal | null = row
            ? { tenantId: row.tenantId, tenantName: row.tenantName, role: row.role, actor: `token:${row.prefix}`, rateKey: `token:${row.id}` }
            : null;
          if (cache.size >= CACHE_MAX_ENTRIES) cache.clear();
          cache.set(hash, { at: now, principal });
          return principal;
        })
        .finally(() => inFlight.delete(hash));
      inFlight.set(hash, pending);
    }
    return pending;
  };

  return {
    async authenticate(request, remoteAddress) {
      const now = Date.now();
      const header = request.headers.get('authorization');
      if (header !== null) {
        const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
        if (!m) return { ok: false, status: 401, message: 'the Authorization header must be "Bearer TOKEN"' };
        const principal = await lookup(hashToken(m[1]!), now);
        return principal ? { ok: true, principal } : { ok: false, status: 401, message: BAD_TOKEN };
      }
      if (await tokensExist(now)) return { ok: false, status: 401, message: NEEDS_TOKEN };
      // A proxy on this machine would make every client look local: forwarded requests are remote.
      const forwarded = request.headers.has('forwarded') || request.headers.has('x-forwarded-for') || request.headers.has('x-real-ip');
      if (!isLoopback(remoteAddress) || forwarded) return { ok: false, status: 401, message: PROTECTED_MODE };
      return {
        ok: true,
        principal: { tenantId: DEFAULT_TENANT_ID, tenantName: DEFAULT_TENANT_NAME, role: 'admin', actor: 'loopback', rateKey: 'loopback' },
      };
    },
    invalidate() {
      cache.clear();
      inFlight.clear();
      anyToken = undefined;
    },
  };
}
