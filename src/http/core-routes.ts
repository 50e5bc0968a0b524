/** Routes every Relife server has, whatever its extensions: health and the fleet CSV export. */
import { FLEET_ROUTES } from './fleets.js';
import { HEALTH_ROUTES } from './health.js';
import type { HttpRoute } from './router.js';

export const CORE_ROUTES: readonly HttpRoute[] = [...HEALTH_ROUTES, ...FLEET_ROUTES];
