import { defineConfig } from 'drizzle-kit';

// One set of SQL migrations for both PGlite and PostgreSQL; applied at start-up by src/db/client.ts.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema',
  out: './drizzle',
});
