/**
 * The front door of every request, as a yoga plugin: who is calling (src/auth), whether they may
 * (role, rate limit), then the plain HTTP routes of the Router, each in a transaction scoped to
 * the caller's tenant. GraphQL requests pass on with their caller recorded (`principalOf`), for
 * the tenant execution plugin (src/auth/graphql.ts).
 */
import type { Plugin } from 'graphql-yoga';
import type { Authenticator } from '../auth/authenticate.js';
import { hasRole, requiredRouteRole, type Principal } from '../auth/roles.js';
import type { Database, DbOrTx } from '../db/client.js';
import { withTenant } from '../db/tenant-scope.js';
import type { RelifeServices } from '../schema/builder.js';
import { HttpError, jsonError, textResponse } from './errors.js';
import type { Limits, RateLimiter } from './limits.js';
import type { HttpRoute, Router } from './router.js';

export interface AccessPolicy {
  authenticator: Authenticator;
  limiter: RateLimiter;
  limits: Limits;
}

/** The caller of each request being served, set before GraphQL or a route sees it. */
const principals = new WeakMap<Request, Principal>();

/** The authenticated caller of a request (undefined for public routes). */
export function principalOf(request: Request): Principal | undefined {
  return principals.get(request);
}

/** GraphiQL's page (HTML) is a static asset; the queries it sends need a token like any other. */
function isGraphiqlPage(request: Request, url: URL): boolean {
  return request.method === 'GET' && url.pathname === '/graphql' && (request.headers.get('accept') ?? '').includes('text/html') && !url.searchParams.has('query');
}

function remoteAddress(serverContext: unknown): string | undefined {
  return (serverContext as { req?: { socket?: { remoteAddress?: string } } } | undefined)?.req?.socket?.remoteAddress;
}

export function dispatchPlugin(router: Router, database: Database, services: Partial<RelifeServices>, access: AccessPolicy): Plugin {
  return {
    async onRequest({ request, url, endResponse, serverContext }) {
      const found = router.match(request.method, url.pathname);
      const isPublic = found?.route.public === true || request.method === 'OPTIONS' || url.pathname === '/live' || isGraphiqlPage(request, url);
      let principal: Principal | undefined;
      if (!isPublic) {
        let outcome;
        try {
          outcome = await access.authenticator.authenticate(request, remoteAddress(serverContext));
        } catch (error) {
          // The token store (the database) failed: answer as masked GraphQL errors are answered.
          console.error(`[relife] authentication: ${error instanceof Error ? error.message : String(error)}`);
          endResponse(Response.json({ errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }, { status: 500 }));
          return;
        }
        if (!outcome.ok) {
          endResponse(jsonError(outcome.status, outcome.message, { 'www-authenticate': 'Bearer realm="relife"' }));
          return;
        }
        principal = outcome.principal;
        const wait = access.limiter.take(principal.rateKey);
        if (wait > 0) {
          endResponse(
            jsonError(429, `rate limit: at most ${access.limits.ratePerMinute} requests per minute per token (bursts of ${access.limits.rateBurst}); retry in ${wait} s`, {
              'retry-after': String(wait),
            }),
          );
          return;
        }
        principals.set(request, principal);
      }
      if (!found) return;
      endResponse(await serveRoute(found.route, found.params, { request, url, database, services, principal }));
    },
  };
}

async function serveRoute(
  route: HttpRoute,
  params: Record<string, string>,
  { request, url, database, services, principal }: { request: Request; url: URL; database: Database; services: Partial<RelifeServices>; principal?: Principal },
): Promise<Response> {
  try {
    if (!principal) return await route.handle({ request, url, params, database, services });
    const needed = requiredRouteRole(request.method, route.role);
    if (!hasRole(principal, needed)) {
      return jsonError(403, `${request.method} ${route.path} needs the ${needed} role; this token has the ${principal.role} role`);
    }
    if (route.selfScoped) return await route.handle({ request, url, params, database, services, principal });
    return await withTenant(database.db, principal.tenantId, (tx: DbOrTx) =>
      Promise.resolve(route.handle({ request, url, params, database: { ...database, db: tx as Database['db'] }, services, principal })),
    );
  } catch (error) {
    if (error instanceof HttpError) return textResponse(error.status, error.message);
    console.error(`[relife] ${request.method} ${url.pathname}:`, error);
    return textResponse(500, 'internal error');
  }
}
