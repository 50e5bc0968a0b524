export * from './fleets.js';
export * from './applications.js';
export * from './measurements.js';
export * from './tenants.js';
