/**
 * The planner's web app at `/`: one HTML page, its TypeScript modules (compiled on first request
 * with esbuild, types stripped, no bundling) and the browser builds of its libraries, all read
 * from this repository and node_modules so nothing is fetched from another host.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
// Types only: server.ts lists this module's extension, so a value import would be a cycle.
import type { HttpRoute, ServerExtension } from '../http/router.js';

/** A file this module does not serve: answered 404 by the route. */
class NoSuchFile extends Error {}

const notFound = (path: string) => new Response(`no such file: ${path}`, { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });

async function serve(path: string, load: () => Promise<Asset>, cacheControl?: string): Promise<Response> {
  try {
    return respond(await load(), cacheControl);
  } catch (error) {
    if (error instanceof NoSuchFile) return notFound(path);
    throw error;
  }
}

const CLIENT_DIR = fileURLToPath(new URL('./client/', import.meta.url));
const require = createRequire(import.meta.url);

/** A package's directory (its package.json may not be exported). */
function packageDir(name: string): string {
  let dir = dirname(require.resolve(name));
  while (!safeExists(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== name) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`package ${name} not found`);
    dir = up;
  }
  return dir;
}

function safeExists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Browser files of the libraries, by the name the import map gives them. */
const VENDOR: Record<string, { pkg: string; file: string; type: string }> = {
  'preact.js': { pkg: 'preact', file: 'dist/preact.module.js', type: 'text/javascript' },
  'preact-hooks.js': { pkg: 'preact', file: 'hooks/dist/hooks.module.js', type: 'text/javascript' },
  'htm.js': { pkg: 'htm', file: 'dist/htm.module.js', type: 'text/javascript' },
  'htm-preact.js': { pkg: 'htm', file: 'preact/index.module.js', type: 'text/javascript' },
  'echarts.js': { pkg: 'echarts', file: 'dist/echarts.esm.min.js', type: 'text/javascript' },
};

/** The import map of index.html: bare specifiers the client modules use → vendor URLs. */
export const IMPORT_MAP = {
  imports: {
    preact: '/vendor/preact.js',
    'preact/hooks': '/vendor/preact-hooks.js',
    htm: '/vendor/htm.js',
    'htm/preact': '/vendor/htm-preact.js',
    echarts: '/vendor/echarts.js',
  },
};

const IMMUTABLE = 'public, max-age=3600';

interface Asset {
  body: string | Uint8Array;
  type: string;
}

const assetCache = new Map<string, Promise<Asset>>();

function cached(key: string, make: () => Promise<Asset>): Promise<Asset> {
  let hit = assetCache.get(key);
  if (!hit) {
    hit = make();
    assetCache.set(key, hit);
    hit.catch(() => assetCache.delete(key));
  }
  return hit;
}

/** `/app/pages/fleet.js` → src/web/client/pages/fleet.ts compiled; `.css` served as is. */
function clientAsset(path: string): Promise<Asset> {
  if (!/^[a-z0-9-]+(\/[a-z0-9-]+)*\.(js|css)$/.test(path)) throw new NoSuchFile();
  return cached(`app:${path}`, async () => {
    if (path.endsWith('.css')) return { body: readFileSync(join(CLIENT_DIR, path), 'utf8'), type: 'text/css; charset=utf-8' };
    const source = join(CLIENT_DIR, path.replace(/\.js$/, '.ts'));
    let code: string;
    try {
      code = readFileSync(source, 'utf8');
    } catch {
      throw new NoSuchFile();
    }
    const out = await transform(code, { loader: 'ts', format: 'esm', target: 'es2022', sourcefile: path.replace(/\.js$/, '.ts') });
    return { body: out.code, type: 'text/javascript; charset=utf-8' };
  });
}

function vendorAsset(name: string): Promise<Asset> {
  const entry = VENDOR[name];
  if (!entry) throw new NoSuchFile();
  return cached(`vendor:${name}`, async () => ({ body: readFileSync(join(packageDir(entry.pkg), entry.file)), type: entry.type }));
}

function indexHtml(): string {
  const html = readFileSync(join(CLIENT_DIR, 'index.html'), 'utf8');
  return html.replace('<!-- import map -->', `<script type="importmap">${JSON.stringify(IMPORT_MAP)}</script>`);
}

const respond = (asset: Asset, cacheControl = 'no-cache') =>
  new Response(asset.body as BodyInit, { headers: { 'content-type': asset.type, 'cache-control': cacheControl } });

/** Every file the client directory holds, for tests and a start-up check. */
export function clientFiles(dir = CLIENT_DIR, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? clientFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

export const WEB_ROUTES: HttpRoute[] = [
  // The app's own files hold no data and a browser cannot send a token when it loads them: public.
  { method: 'GET', path: '/', public: true, handle: () => new Response(indexHtml(), { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' } }) },
  { method: 'GET', path: '/app/:file', public: true, handle: ({ url, params }) => serve(url.pathname, () => clientAsset(params.file!)) },
  { method: 'GET', path: '/app/pages/:file', public: true, handle: ({ url, params }) => serve(url.pathname, () => clientAsset(`pages/${params.file!}`)) },
  { method: 'GET', path: '/vendor/:file', public: true, handle: ({ url, params }) => serve(url.pathname, () => vendorAsset(params.file!), IMMUTABLE) },
];

/**
 * Paths that hold no data and must load without a token: a browser fetches the page, its modules
 * and libraries without an Authorization header (the app then sends its token on /graphql).
 */
export const WEB_PUBLIC_PATHS = { exact: ['/'], prefixes: ['/app/', '/vendor/'] } as const;

export function webExtension(): ServerExtension {
  return { name: 'web', routes: WEB_ROUTES };
}
