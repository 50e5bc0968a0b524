/**
 * A real Relife server in its own process (`npx tsx src/server.ts`), for end-to-end tests that
 * must survive SIGKILL: spawned in its own process group so a kill reaches tsx's node child too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: { message: string }[] }>;
  get(path: string): Promise<Response>;
  /** SIGKILL the whole process group (no shutdown handlers run). */
  kill(): Promise<void>;
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<void>;
}

export interface ServerProcessOptions {
  /** PostgreSQL connection string, or a PGlite data directory. */
  databaseUrl?: string;
  dataDir?: string;
  env?: Record<string, string>;
}

export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', RELIFE_SEED: '1', ...options.env };
  delete env.DATABASE_URL;
  delete env.RELIFE_DATA_DIR;
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  if (options.dataDir) env.RELIFE_DATA_DIR = options.dataDir;
  const child = spawn('npx', ['tsx', 'src/server.ts'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (b: Buffer) => (log += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (log += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 90 s:\n${log}`)), 90_000);
    const onData = () => {
      const m = /GraphiQL at (http:\/\/[^/\s]+)\/graphql/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!.replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${log}`));
    });
  });
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      /* already gone */
    }
  };
  // `npx` may exit on SIGTERM before its node grandchild has finished shutting down (and released
  // the PGlite lock), so a stop waits until no process of the group is left.
  const groupGone = async (timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        process.kill(-child.pid!, 0);
      } catch {
        return;
      }
      if (Date.now() > deadline) return killGroup('SIGKILL');
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return {
    url,
    child,
    output: () => log,
    async gql(query, variables) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as any;
    },
    get: (path) => fetch(`${url}${path}`),
    async kill() {
      killGroup('SIGKILL');
      await exited;
      await groupGone(10_000);
    },
    async stop() {
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), 20_000);
      await exited;
      await groupGone(20_000);
      clearTimeout(timer);
    },
  };
}

export interface SseEvent {
  event: string;
  data: any;
}

/** Runs a GraphQL subscription over server-sent events and collects every event until it completes. */
export async function collectSse(url: string, query: string, variables: Record<string, unknown>, onEvent?: (e: SseEvent) => void): Promise<SseEvent[]> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query, variables }),
  });
  if (!res.ok || !res.body) throw new Error(`SSE request failed: ${res.status} ${await res.text()}`);
  expectEventStream(res.headers.get('content-type'));
  const events: SseEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trim());
      }
      if (data.length === 0 && event === 'message') continue; // keep-alive comment
      const e = { event, data: data.length ? JSON.parse(data.join('\n') || 'null') : null };
      events.push(e);
      onEvent?.(e);
      if (event === 'complete') return events;
    }
  }
  return events;
}

function expectEventStream(contentType: string | null): void {
  if (!contentType?.startsWith('text/event-stream')) throw new Error(`expected text/event-stream, got ${contentType}`);
}

/** Polls `probe` until it returns a value (not undefined) or the timeout passes. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface WorkerProcess {
  output(): string;
  stop(): Promise<void>;
}

/** `relife worker` against a PostgreSQL database, in its own process group. */
export async function startWorkerProcess(databaseUrl: string, args: string[] = [], env: Record<string, string> = {}): Promise<WorkerProcess> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, DATABASE_URL: databaseUrl };
  delete childEnv.RELIFE_DATA_DIR;
  const child = spawn('npx', ['tsx', 'src/cli.ts', 'worker', ...args], { cwd: ROOT, env: childEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (b: Buffer) => (log += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (log += b.toString()));
  let gone = false;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      gone = true;
      resolve(code);
    }),
  );
  await waitFor(
    async () => {
      if (/relife worker \S+: postgres/.test(log)) return true;
      if (gone) throw new Error(`worker exited before starting:\n${log}`);
      return undefined;
    },
    'the worker to start',
    90_000,
  );
  return {
    output: () => log,
    async stop() {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        /* gone */
      }
      await exited;
    },
  };
}
