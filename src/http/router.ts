/**
 * The small router of the plain HTTP routes next to GraphQL: what a route is, what its handler
 * gets, and matching a method and path to a route. Routes live one group per file in src/http/
 * (health, fleet exports, plan exports, run fronts); the server lists them (src/server.ts,
 * src/server-extensions.ts).
 */
import type { ApiRole, Principal } from '../auth/roles.js';
import type { Database } from '../db/client.js';
import type { RelifeServices } from '../schema/builder.js';

export interface HttpRouteContext {
  request: Request;
  url: URL;
  /** Path parameters (`:name` segments of the route's path), URL-decoded. */
  params: Record<string, string>;
  /** `database.db` is the request's transaction, scoped to the caller's tenant (public routes: unscoped). */
  database: Database;
  services: Partial<RelifeServices>;
  /** The caller (undefined on public routes). */
  principal?: Principal;
}

/** A plain HTTP route next to GraphQL, e.g. `{ method: 'GET', path: '/plans/:id.csv', handle }`. */
export interface HttpRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Literal segments and `:param` placeholders; a placeholder may carry a literal suffix (`:id.csv`). */
  path: string;
  handle(ctx: HttpRouteContext): Response | Promise<Response>;
  /** Served without a token and outside any tenant (health, static assets). Default false. */
  public?: boolean;
  /** Role the caller needs; default viewer for GET, planner otherwise. */
  role?: ApiRole;
  /**
   * The handler streams its response after returning, or computes for long: it gets no request
   * transaction and opens short ones with `withTenant(ctx.database.db, ctx.principal.tenantId, …)`.
   */
  selfScoped?: boolean;
}

/**
 * A capability plugged into the server: its routes, and services it starts with the server and
 * stops with it (a job queue, a worker pool). `start` may fill `services` (see RelifeServices).
 */
export interface ServerExtension {
  name: string;
  routes?: HttpRoute[];
  start?(ctx: { database: Database; services: Partial<RelifeServices> }): void | Promise<void>;
  stop?(): void | Promise<void>;
}

type Matcher = (method: string, pathname: string) => Record<string, string> | null;

export function compileRoute(route: Pick<HttpRoute, 'method' | 'path'>): Matcher {
  const names: string[] = [];
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const source = route.path
    .split('/')
    .map((segment) => {
      const m = /^:([A-Za-z_][A-Za-z0-9_]*)(.*)$/.exec(segment);
      if (!m) return escape(segment);
      names.push(m[1]!);
      return `([^/]+?)${escape(m[2]!)}`;
    })
    .join('/');
  const re = new RegExp(`^${source}$`);
  return (method, pathname) => {
    if (method !== route.method && !(route.method === 'GET' && method === 'HEAD')) return null;
    const m = re.exec(pathname);
    if (!m) return null;
    try {
      return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
    } catch {
      return null;
    }
  };
}

/** Routes in the order given; the first that matches wins. */
export class Router {
  private readonly compiled: { route: HttpRoute; match: Matcher }[];
  constructor(routes: readonly HttpRoute[]) {
    this.compiled = routes.map((route) => ({ route, match: compileRoute(route) }));
  }

  match(method: string, pathname: string): { route: HttpRoute; params: Record<string, string> } | undefined {
    for (const { route, match } of this.compiled) {
      const params = match(method, pathname);
      if (params) return { route, params };
    }
    return undefined;
  }
}
