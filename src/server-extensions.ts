/**
 * The extensions `npm start` plugs into the server (routes + services). One line per capability;
 * each extension lives with its own code (e.g. src/jobs/server-extension.ts).
 */
import type { ServerExtension } from './server.js';
import { jobsExtension } from './jobs/server-extension.js';
import { webExtension } from './web/routes.js';

export const SERVER_EXTENSIONS: ServerExtension[] = [jobsExtension(), webExtension()];
