/**
 * `npm run schema:print`: writes the full current GraphQL schema (every file src/schema/index.ts
 * imports) to schema.graphql, and the web client's types of it to src/web/client/schema.ts;
 * `--check` only compares schema.graphql and exits 1 on drift.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { schema } from '../src/schema/index.js';
import { CLIENT_TYPES_FILE, clientTypes } from '../src/web/schema-types.js';

// The same graphql instance as Pothos (CommonJS): under vitest a plain `import 'graphql'` from
// source resolves to graphql's .mjs build, a second copy that rejects the schema.
const { lexicographicSortSchema, printSchema } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

export const SCHEMA_FILE = fileURLToPath(new URL('../schema.graphql', import.meta.url));

export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema)).trim()}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = printedSchema();
  if (process.argv.includes('--check')) {
    const current = existsSync(SCHEMA_FILE) ? readFileSync(SCHEMA_FILE, 'utf8') : '';
    if (current !== text) {
      console.error('schema.graphql is out of date: run `npm run schema:print`');
      process.exitCode = 1;
    }
  } else {
    writeFileSync(SCHEMA_FILE, text);
    writeFileSync(CLIENT_TYPES_FILE, clientTypes(text));
    console.log(`wrote ${SCHEMA_FILE} and ${CLIENT_TYPES_FILE}`);
  }
}
