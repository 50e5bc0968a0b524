/**
 * The Relife HTTP service, composed: GraphQL (graphql-yoga + Pothos) at /graphql with GraphiQL,
 * masked errors, and the plain routes of src/http/ (/health, /fleets/{id}/modules.csv, plus what
 * the extensions of src/server-extensions.ts add). Every request but /health and public (static)
 * routes is authenticated (src/auth) and runs in a transaction scoped to the caller's tenant;
 * bodies, documents and request rates are bounded (src/http/limits.ts, src/http/body.ts).
 *
 *   const server = await createRelifeServer({ database });
 *   const url = await server.listen(0);   // http://127.0.0.1:PORT
 *   await server.close();                  // stops extensions, not the database
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { createAuthenticator, parseEnvTokens, type Authenticator, type EnvToken } from './auth/authenticate.js';
import { instrumentMutations, NO_DB, tenantExecutionPlugin } from './auth/graphql.js';
import { openDatabase, type Database } from './db/client.js';
import { seedDemoIfEmpty } from './demo/seed.js';
import { DEFAULT_TENANT_ID, withTenant } from './db/tenant-scope.js';
import { jsonBodyPlugin, refuseDeclaredOversize } from './http/body.js';
import { compiledQueries } from './http/compiled-queries.js';
import { dispatchPlugin, principalOf, type AccessPolicy } from './http/dispatch.js';
import { CORE_ROUTES } from './http/core-routes.js';
import { RateLimiter, readLimits, type Limits } from './http/limits.js';
import { Router, type ServerExtension } from './http/router.js';
import type { RelifeContext, RelifeServices } from './schema/builder.js';
import { schema } from './schema/index.js';
import { SERVER_EXTENSIONS } from './server-extensions.js';
import { renderOfflineGraphiQL } from './web/graphiql.js';

export { CORE_ROUTES };

export interface RelifeServerOptions {
  database: Database;
  /** Pre-built services (tests); extensions may add more in `start`. */
  services?: Partial<RelifeServices>;
  extensions?: ServerExtension[];
  /** Seed the demo fleet and default applications when the database is empty (default false). */
  seedDemo?: boolean;
  /** Hide GraphiQL (default: shown). */
  graphiql?: boolean;
  /** Request limits; default from the environment (readLimits). */
  limits?: Partial<Limits>;
  /** Deployment tokens; default RELIFE_API_TOKENS. */
  apiTokens?: EnvToken[];
}

export interface RelifeServer {
  yoga: YogaServerInstance<Record<string, unknown>, RelifeContext>;
  services: Partial<RelifeServices>;
  /** Starts listening (port 0 = any free port); resolves with the base URL. */
  listen(port?: number, host?: string): Promise<string>;
  /** Base URL once listening, e.g. http://127.0.0.1:4000 */
  readonly url: string | undefined;
  /** Stops listening and the extensions (in reverse order). Does not close the database. */
  close(): Promise<void>;
  readonly limits: Limits;
  readonly authenticator: Authenticator;
}

export async function createRelifeServer(options: RelifeServerOptions): Promise<RelifeServer> {
  const { database } = options;
  const services: Partial<RelifeServices> = { ...options.services };
  const extensions = options.extensions ?? [];
  const limits: Limits = { ...readLimits(), ...options.limits };
  const authenticator = await createAuthenticator(database, options.apiTokens ?? parseEnvTokens(process.env.RELIFE_API_TOKENS));
  const access: AccessPolicy = { authenticator, limiter: new RateLimiter(limits.ratePerMinute, limits.rateBurst), limits };
  if (options.seedDemo) await withTenant(database.db, DEFAULT_TENANT_ID, (tx) => seedDemoIfEmpty(tx));
  const started: ServerExtension[] = [];
  try {
    for (const ext of extensions) {
      await ext.start?.({ database, services });
      started.push(ext);
    }
  } catch (error) {
    for (const ext of started.reverse()) await ext.stop?.();
    throw error;
  }
  const router = new Router([...CORE_ROUTES, ...extensions.flatMap((e) => e.routes ?? [])]);

  instrumentMutations(schema);
  const yoga = createYoga<Record<string, unknown>, RelifeContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: options.graphiql ?? true,
    // Bodies are bounded by jsonBodyPlugin (src/http/body.ts), JSON and the others.
    maxRequestBodySize: false,
    renderGraphiQL: renderOfflineGraphiQL,
    // Yoga's own liveness probe moves aside: GET /health is ours and checks the database too.
    healthCheckEndpoint: '/live',
    // Never a stack trace, also under NODE_ENV=development.
    maskedErrors: { isDev: false },
    cors: limits.corsOrigins.length > 0 ? { origin: limits.corsOrigins, credentials: false, allowedHeaders: ['authorization', 'content-type'], methods: ['GET', 'POST'] } : false,
    logging: process.env.RELIFE_LOG === 'debug' ? 'debug' : 'warn',
    context: ({ request }) => ({
      database,
      db: NO_DB,
      services,
      request,
      principal: principalOf(request),
      withDb: () => Promise.reject(new Error('internal: no tenant scope outside an operation')),
      afterCommit: () => {},
      importSyncMaxRows: limits.importSyncMaxRows,
    }),
    plugins: [
      dispatchPlugin(router, database, services, access),
      jsonBodyPlugin(limits),
      EnvelopArmorPlugin({
        maxDepth: { n: limits.graphqlMaxDepth, ignoreIntrospection: true, flattenFragments: true },
        maxAliases: { n: limits.graphqlMaxAliases },
        costLimit: { maxCost: limits.graphqlMaxCost, ignoreIntrospection: true },
        maxTokens: { n: limits.graphqlMaxTokens },
        maxDirectives: { n: limits.graphqlMaxDirectives },
        blockFieldSuggestion: { enabled: true },
      }),
      // Before the tenant plugin, which wraps whatever executor is set by then in the transaction.
      ...compiledQueries(),
      tenantExecutionPlugin(database),
    ],
  });

  let server: Server | undefined;
  let url: string | undefined;
  // Bodies that announce their size are refused before yoga reads a byte of them.
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    if (refuseDeclaredOversize(req, res, limits)) return;
    void yoga(req, res);
  };

  return {
    yoga,
    services,
    limits,
    authenticator,
    get url() {
      return url;
    },
    listen(port = 4000, host = '127.0.0.1') {
      return new Promise<string>((resolve, reject) => {
        const s = createServer(handler);
        s.once('error', reject);
        s.listen(port, host, () => {
          const address = s.address() as AddressInfo;
          server = s;
          url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
          resolve(url);
        });
      });
    },
    async close() {
      if (server) {
        const s = server;
        server = undefined;
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
      for (const ext of [...started].reverse()) await ext.stop?.();
    },
  };
}

/** `npm start`: PGlite under RELIFE_DATA_DIR or PostgreSQL at DATABASE_URL, port PORT (4000). */
export async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be 0–65535, got "${process.env.PORT}"`);
  // This machine only unless told otherwise: protected mode trusts loopback callers.
  const host = process.env.HOST ?? '127.0.0.1';
  const database = await openDatabase();
  const server = await createRelifeServer({ database, extensions: SERVER_EXTENSIONS, seedDemo: process.env.RELIFE_SEED !== '0' });
  const base = await server.listen(port, host);
  const shown = base.replace('0.0.0.0', 'localhost');
  database.dataDirLock?.update({ url: shown });
  console.log(`relife: ${database.kind === 'postgres' ? 'PostgreSQL' : 'PGlite'} ready; GraphiQL at ${shown}/graphql`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`relife: ${signal}, shutting down`);
    await server.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(`relife: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
