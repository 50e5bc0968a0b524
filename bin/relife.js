#!/usr/bin/env node
// The `relife` executable: the compiled CLI when `npm run build` has produced dist/, otherwise the
// TypeScript sources through tsx (a runtime dependency), so it works from a fresh `npm ci`.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const compiled = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (existsSync(compiled)) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli.ts', import.meta.url).href);
}
