/** Plugs optimisation runs into the HTTP server: the job service and the export routes. */
import type { ServerExtension } from '../server.js';
import { EXPORT_ROUTES } from './routes.js';
import { jobOptionsFromEnv, startJobService, type JobService } from './service.js';

export function jobsExtension(options = jobOptionsFromEnv()): ServerExtension {
  let service: JobService | undefined;
  return {
    name: 'jobs',
    routes: EXPORT_ROUTES,
    async start({ database, services }) {
      service = await startJobService(database, options);
      services.jobs = service;
    },
    async stop() {
      await service?.stop();
    },
  };
}
