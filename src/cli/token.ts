/**
 * `relife token create|list|revoke`: API tokens on the configured database (DATABASE_URL, else
 * PGlite under RELIFE_DATA_DIR). On PostgreSQL this works while the server runs; the server sees
 * a new or revoked token within a few seconds. A PGlite data directory can be open in only one
 * process: stop the server first, or use RELIFE_API_TOKENS.
 */
import { parseArgs } from 'node:util';

const USAGE = `usage:
  relife token create --tenant NAME [--role viewer|planner|admin] [--label TEXT]
      prints the new token on its last line (it is shown once; only its hash is stored);
      creates the tenant, with the default applications, if it does not exist. Role default: planner
  relife token list [--tenant NAME]
  relife token revoke ID|PREFIX

Once any token exists the server requires one on every request (protected mode ends).`;

export async function run(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { tenant: { type: 'string', short: 't' }, role: { type: 'string', short: 'r' }, label: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (!action || action === '--help' || action === '-h' || values.help) {
    console.log(USAGE);
    return action ? 0 : 2;
  }
  if (!['create', 'list', 'revoke'].includes(action)) {
    console.error(`relife token: unknown action "${action}"\n\n${USAGE}`);
    return 2;
  }
  const { parseRole } = await import('../auth/roles.js');
  const role = action === 'create' ? parseRole(values.role ?? 'planner', '--role') : undefined;
  if (action === 'create' && !values.tenant) {
    console.error(`relife token create: --tenant NAME is required\n\n${USAGE}`);
    return 2;
  }
  if (action === 'revoke' && positionals.length !== 1) {
    console.error(`relife token revoke: give the token's id or prefix (see relife token list)\n\n${USAGE}`);
    return 2;
  }
  const { openDatabase } = await import('../db/client.js');
  const pglite = !process.env.DATABASE_URL;
  let database;
  try {
    database = await openDatabase();
  } catch (error) {
    if (pglite) {
      console.error(
        `relife token: cannot open the PGlite data directory ${process.env.RELIFE_DATA_DIR ?? './.relife'} (${error instanceof Error ? error.message : String(error)}). ` +
          'PGlite serves one process at a time: stop the server, run this command, start the server again (or set RELIFE_API_TOKENS, or use PostgreSQL).',
      );
      return 1;
    }
    throw error;
  }
  const tenants = await import('../db/tenants.js');
  try {
    if (action === 'create') {
      const { createApiToken } = await import('../auth/tokens.js');
      const { token, row, tenantCreated } = await createApiToken(database.db, { tenantName: values.tenant!, role: role!, label: values.label ?? null });
      await tenants.appendAudit(database.db, [{ actor: 'cli', role: 'admin', action: 'token create', target: { tokenId: row.id, prefix: row.prefix, role: row.role }, outcome: 'ok' }], row.tenantId);
      console.log(`tenant ${values.tenant}${tenantCreated ? ' (created, with the default applications)' : ''}, role ${row.role}, id ${row.id}`);
      if (pglite) console.log('PGlite: the server reads the token when it next starts on this data directory.');
      console.log('Send it as "Authorization: Bearer TOKEN". It is shown only now:');
      console.log(token);
      return 0;
    }
    if (action === 'list') {
      const tenant = values.tenant ? await tenants.getTenantByName(database.db, values.tenant) : undefined;
      if (values.tenant && !tenant) {
        console.error(`relife token list: no tenant "${values.tenant}"`);
        return 1;
      }
      const rows = await tenants.listApiTokens(database.db, tenant?.id);
      console.log(['id', 'tenant', 'role', 'prefix', 'created', 'revoked', 'label'].join('\t'));
      for (const r of rows) {
        console.log([r.id, r.tenantName, r.role, r.prefix, r.createdAt.toISOString(), r.revokedAt?.toISOString() ?? '-', r.label ?? ''].join('\t'));
      }
      return 0;
    }
    const revoked = await tenants.revokeApiToken(database.db, positionals[0]!);
    if (revoked.length === 0) {
      console.error(`relife token revoke: no live token with id or prefix "${positionals[0]}"`);
      return 1;
    }
    if (revoked.length > 1) console.log(`note: ${revoked.length} tokens shared that prefix; all are revoked`);
    for (const r of revoked) {
      await tenants.appendAudit(database.db, [{ actor: 'cli', role: 'admin', action: 'token revoke', target: { tokenId: r.id, prefix: r.prefix }, outcome: 'ok' }], r.tenantId);
      console.log(`revoked ${r.id} (${r.prefix}…)`);
    }
    return 0;
  } finally {
    await database.close();
  }
}
