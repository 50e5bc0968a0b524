/**
 * A real Relife server on a free port over a test database, and a small GraphQL client.
 *
 *   const server = await startTestServer(database);           // seedDemo: false by default
 *   const { data, errors } = await server.gql(`{ fleets { edges { node { name } } } }`);
 *   await server.close();                                        // the database stays open
 */
import type { Database } from '../../src/db/client.js';
import type { RelifeServices } from '../../src/schema/builder.js';
import type { Limits } from '../../src/http/limits.js';
import type { ServerExtension } from '../../src/http/router.js';
import { createRelifeServer, type RelifeServer } from '../../src/server.js';

export interface GqlResult<T = any> {
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestServer {
  server: RelifeServer;
  url: string;
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<GqlResult<T>>;
  /** GET a path (e.g. /health) from the server. */
  get(path: string): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestServer(
  database: Database,
  options: { seedDemo?: boolean; extensions?: ServerExtension[]; services?: Partial<RelifeServices>; limits?: Partial<Limits> } = {},
): Promise<TestServer> {
  const server = await createRelifeServer({ database, seedDemo: options.seedDemo ?? false, extensions: options.extensions, services: options.services, limits: options.limits });
  const url = await server.listen(0);
  return {
    server,
    url,
    async gql(query, variables) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as GqlResult;
    },
    get: (path) => fetch(`${url}${path}`),
    close: () => server.close(),
  };
}
