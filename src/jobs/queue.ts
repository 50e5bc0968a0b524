/**
 * Dispatch of optimisation runs through pg-boss 10, on both database modes with one code path:
 * PostgreSQL through its connection string (pg-boss keeps its own small pool), PGlite through
 * pg-boss's `db.executeSql` hook (parameterless statements are multi-statement scripts and go to
 * `exec`, the rest to `query`).
 *
 * pg-boss only says "run X may need a worker". Whether a worker may take it, and whether the worker
 * that has it is still alive, is decided by the run row's lease (see runs.ts): pg-boss 10 has no
 * job heartbeat, only a fixed expiry, which cannot tell a long run from a dead one. Claims are
 * idempotent, so a duplicate or stale job is harmless and recovery may simply send again.
 */
import PgBoss from 'pg-boss';
import type { Database } from '../db/client.js';

export const RUN_QUEUE = 'relife-optimization-run';
/** pg-boss caps expiry below 24 h; our lease, not this, detects dead workers. */
const JOB_EXPIRE_HOURS = 23;

export interface RunJob {
  runId: string;
}

export interface RunQueue {
  enqueue(runId: string): Promise<void>;
  /** Starts `concurrency` pollers, each running one job at a time. */
  work(concurrency: number, handler: (job: RunJob) => Promise<void>, pollingIntervalSeconds?: number): Promise<void>;
  stop(): Promise<void>;
}

function bossOptions(database: Database): PgBoss.ConstructorOptions {
  const common = { schema: 'pgboss', schedule: false, supervise: true, migrate: true } as const;
  if (database.kind === 'postgres') {
    if (!database.url) throw new Error('PostgreSQL database without a connection string: pg-boss cannot connect');
    return { ...common, connectionString: database.url, max: 3 };
  }
  const pglite = database.pglite;
  if (!pglite) throw new Error('PGlite database without its PGlite instance: pg-boss cannot run on it');
  return {
    ...common,
    db: {
      async executeSql(text: string, values: unknown[]) {
        if (!values || values.length === 0) {
          const results = await pglite.exec(text);
          return { rows: results.at(-1)?.rows ?? [] };
        }
        const result = await pglite.query(text, values);
        return { rows: result.rows as unknown[] };
      },
    },
  };
}

export async function openRunQueue(database: Database): Promise<RunQueue> {
  const boss = new PgBoss(bossOptions(database));
  boss.on('error', (error: unknown) => {
    console.error(`[relife jobs] queue error: ${error instanceof Error ? error.message : String(error)}`);
  });
  await boss.start();
  await boss.createQueue(RUN_QUEUE, { name: RUN_QUEUE, retryLimit: 0, expireInHours: JOB_EXPIRE_HOURS } as PgBoss.Queue);
  let stopped = false;
  const localWorkers: string[] = [];
  return {
    async enqueue(runId) {
      await boss.send(RUN_QUEUE, { runId } satisfies RunJob, { retryLimit: 0, expireInHours: JOB_EXPIRE_HOURS });
      // Wake this process's idle pollers now instead of at their next poll (pg-boss 10 polls at
      // most every 0.5 s); pollers of other processes find the job on their next poll.
      for (const id of localWorkers) boss.notifyWorker(id);
    },
    async work(concurrency, handler, pollingIntervalSeconds = 0.5) {
      for (let i = 0; i < concurrency; i++) {
        const id = await boss.work<RunJob>(RUN_QUEUE, { batchSize: 1, pollingIntervalSeconds }, async (jobs) => {
          for (const job of jobs) await handler(job.data);
        });
        localWorkers.push(id);
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
