/**
 * `relife worker`: a process that only executes optimisation runs (no HTTP). Start several against
 * one PostgreSQL to share the work; each takes up to --concurrency runs at a time.
 */
import { parseArgs } from 'node:util';

const HELP = `usage: relife worker [--concurrency N] [--lease-seconds S]

Executes queued optimisation runs until SIGINT/SIGTERM (runs in progress stop at the end of their
generation and go back to the queue, resuming from their last checkpoint elsewhere).
Needs DATABASE_URL=postgres://… (PGlite cannot be shared between processes; with PGlite the
server executes the runs itself).

  --concurrency N     runs executed at once by this process (default RELIFE_RUN_CONCURRENCY or 1)
  --lease-seconds S   a worker silent this long is presumed dead (default RELIFE_RUN_LEASE_SECONDS or 30)`;

function positive(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number, got "${raw}"`);
  return v;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      concurrency: { type: 'string' },
      'lease-seconds': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const { jobOptionsFromEnv, startJobService } = await import('../jobs/service.js');
  const { openDatabase } = await import('../db/client.js');
  const { solverWarmUpFromEnv } = await import('../demo/solver-warm-up.js');
  const options = { ...jobOptionsFromEnv(), ...solverWarmUpFromEnv() };
  const concurrency = positive('concurrency', values.concurrency);
  if (concurrency !== undefined) options.concurrency = Math.floor(concurrency);
  const lease = positive('lease-seconds', values['lease-seconds']);
  if (lease !== undefined) options.leaseSeconds = lease;
  if (!options.concurrency) throw new Error('a worker needs --concurrency ≥ 1');

  if (!process.env.DATABASE_URL) {
    // Two processes on one PGlite data directory would corrupt it; with PGlite the server is the worker.
    throw new Error('relife worker needs DATABASE_URL (PostgreSQL): PGlite is single-process, and with it `relife serve` executes the runs itself');
  }
  const database = await openDatabase();
  const service = await startJobService(database, options);
  console.log(`relife worker ${service.owner}: ${database.kind}, up to ${options.concurrency} run(s) at a time`);
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`relife worker: ${signal}, handing runs in progress back to the queue`);
      service
        .stop()
        .then(() => database.close())
        .then(
          () => resolve(0),
          (error: unknown) => {
            console.error(`relife worker: ${error instanceof Error ? error.message : String(error)}`);
            resolve(1);
          },
        );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
