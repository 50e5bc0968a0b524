/**
 * GraphiQL served from the service's own bytes: graphql-yoga's GraphiQL build (editor, workers,
 * styles) is inlined from node_modules, so the console works on a closed network. A short script
 * asks /graphql whether a token is needed (401) before rendering; if so the headers editor opens
 * with `Authorization: Bearer …`, pre-filled with the token the web app signed in with.
 */
import type { GraphiQLOptions } from 'graphql-yoga';

/** sessionStorage key shared with the web app (src/web/client/api.ts). */
export const TOKEN_STORAGE_KEY = 'relife.token';

/** `<` escaped so a string can sit inside a `<script>` element without closing it. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

const cache = new Map<string, string>();

/** The page for yoga's `renderGraphiQL`; the 9 MB GraphiQL build is loaded on the first request only. */
export async function renderOfflineGraphiQL(options: GraphiQLOptions): Promise<string> {
  const opts: GraphiQLOptions = { title: 'Relife GraphiQL', subscriptionsProtocol: 'SSE', ...options };
  const key = JSON.stringify(opts);
  const hit = cache.get(key);
  if (hit) return hit;
  const { css, editorWorkerService, favicon, graphqlWorker, js, jsonWorker } = await import('@graphql-yoga/render-graphiql/graphiql');
  const endpoint = (opts as { endpoint?: string }).endpoint ?? '/graphql';
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<title>${opts.title!.replace(/[<&]/g, '')}</title>
<link rel="icon" href="${favicon}" />
<style>${css}</style>
</head>
<body id="body" class="no-focus-outline">
<noscript>GraphiQL needs JavaScript.</noscript>
<div id="root"></div>
<script>
function prepareBlob(content) { return URL.createObjectURL(new Blob([content], { type: 'application/javascript' })); }
const workers = {
  editorWorkerService: prepareBlob(${scriptJson(editorWorkerService)}),
  json: prepareBlob(${scriptJson(jsonWorker)}),
  graphql: prepareBlob(${scriptJson(graphqlWorker)}),
};
self['MonacoEnvironment'] = { globalAPI: false, getWorkerUrl: (_id, label) => workers[label] };
${js};
(async () => {
  const options = ${scriptJson(opts)};
  let tokensOn = false;
  try {
    const probe = await fetch(${scriptJson(endpoint)}, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: '{"query":"{ __typename }"}',
    });
    tokensOn = probe.status === 401;
  } catch (e) { /* the console still opens; its requests will show the error */ }
  if (tokensOn) {
    const token = sessionStorage.getItem(${scriptJson(TOKEN_STORAGE_KEY)}) || '';
    options.headers = JSON.stringify({ Authorization: 'Bearer ' + token }, null, 2);
    options.defaultEditorToolsVisibility = 'headers';
    options.isHeadersEditorEnabled = true;
  }
  YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), options);
})();
</script>
</body>
</html>`;
  cache.set(key, html);
  return html;
}
