/** `relife serve`: the GraphQL service (same as `npm start`). */
import { parseArgs } from 'node:util';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { port: { type: 'string', short: 'p' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log('usage: relife serve [--port N]\n\nDATABASE_URL=postgres://… for PostgreSQL, else PGlite under RELIFE_DATA_DIR (./.relife).');
    return 0;
  }
  if (values.port !== undefined) process.env.PORT = values.port;
  const { main } = await import('../server.js');
  await main();
  // Keep running until a signal: main() installed the handlers and the HTTP server holds the loop.
  return new Promise<number>(() => {});
}
