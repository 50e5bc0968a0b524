#!/usr/bin/env node
/**
 * The `relife` command line: one sub-command per file under src/cli/, loaded on demand so that
 * `relife solve` does not pay for the database or the GraphQL schema.
 */
type CommandModule = { run(argv: string[]): Promise<number> };

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  worker: { summary: 'execute queued optimisation runs (no HTTP); scale out with several', load: () => import('./cli/worker.js') },
  serve: { summary: 'run the GraphQL service (npm start)', load: () => import('./cli/serve.js') },
  token: { summary: 'API tokens: create (per tenant and role), list, revoke', load: () => import('./cli/token.js') },
  import: { summary: 'import a module CSV into a fleet (all rows or none)', load: () => import('./cli/import.js') },
  export: { summary: 'export a fleet as module CSV', load: () => import('./cli/export.js') },
  twin: { summary: 'digital twin: simulate a fleet CSV, predict a cell history', load: () => import('./cli/twin.js') },
  generate: { summary: 'write a synthetic fleet CSV (paper §3A generator)', load: () => import('./cli/generate.js') },
  optimize: { summary: 'NSGA-II fleet allocation of a fleet CSV, writes RESULT.json', load: () => import('./cli/optimize.js') },
  compare: { summary: 'static vs adaptive vs NSGA-II knee (paper Tables 5 & 6) from our twin', load: () => import('./cli/compare.js') },
  solve: { summary: 'NSGA-II on a benchmark problem (zdt1…6, dtlz1/2), writes the front as JSON', load: () => import('./cli/solve.js') },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `usage: relife <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nrelife <command> --help for the options of one command.`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`relife: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return (await command.load()).run(rest);
}

// `relife compare | head` closes the pipe early: that is the reader's choice, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`relife: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
