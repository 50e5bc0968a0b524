#!/usr/bin/env node
// The `relife` executable. In a checkout it runs the TypeScript sources through tsx (a runtime
// dependency), so it works right after `npm ci` and never runs a stale build; an installed
// package without src/ runs the compiled dist/ of `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const source = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const compiled = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(source).href);
} else if (existsSync(compiled)) {
  await import(pathToFileURL(compiled).href);
} else {
  console.error('relife: neither src/cli.ts nor dist/cli.js found');
  process.exitCode = 1;
}
