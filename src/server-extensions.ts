/**
 * The extensions `npm start` plugs into the server, listed in one place: each brings services it
 * starts and stops with the server, and the HTTP routes (src/http/) that go with them.
 */
import { PLAN_ROUTES } from './http/plans.js';
import type { ServerExtension } from './http/router.js';
import { RUN_ROUTES } from './http/runs.js';
import { jobOptionsFromEnv, startJobService, type JobService } from './jobs/service.js';
import { solverWarmUpFromEnv } from './demo/solver-warm-up.js';
import { webExtension } from './web/routes.js';

/**
 * Optimisation runs: the job service (queue, workers, sweeper) and the plan and front exports.
 * By default as configured by the environment, with the solver warmed at start.
 */
export function jobsExtension(options = { ...jobOptionsFromEnv(), ...solverWarmUpFromEnv() }): ServerExtension {
  let service: JobService | undefined;
  return {
    name: 'jobs',
    routes: [...PLAN_ROUTES, ...RUN_ROUTES],
    async start({ database, services }) {
      service = await startJobService(database, options);
      services.jobs = service;
    },
    async stop() {
      await service?.stop();
    },
  };
}

export { webExtension };

export const SERVER_EXTENSIONS: ServerExtension[] = [jobsExtension(), webExtension()];
