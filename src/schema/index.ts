/**
 * The GraphQL schema: imports every schema file (each adds its types to the one builder), then
 * builds. Add one import line per new file.
 */
import { builder } from './builder.js';
import './errors.js';
import './module.js';
import './fleet.js';
import './application.js';
import './run.js';
import './plan.js';
import './twin.js';
import './comparison.js';
import './audit.js';

export const schema = builder.toSchema({ sortSchema: true });
