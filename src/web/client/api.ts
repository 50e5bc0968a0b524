/**
 * Talking to the service: GraphQL over fetch with the bearer token, multipart uploads, the SSE
 * progress stream (fetch streaming, so the Authorization header can be sent), authenticated
 * downloads, and one cached introspection query that says which optional fields the server has.
 */
import { FEATURES_QUERY, featuresFrom, type Features, type IntroType } from './features.js';
import type { Problem } from './schema.js';

export type { Features };

/** sessionStorage key, shared with the GraphiQL page (src/web/graphiql.ts). */
const TOKEN_KEY = 'relife.token';

export const getToken = (): string | null => sessionStorage.getItem(TOKEN_KEY);
export const setToken = (token: string): void => sessionStorage.setItem(TOKEN_KEY, token);
export const clearToken = (): void => sessionStorage.removeItem(TOKEN_KEY);

/** Fired on window when the service answers 401: the app shows the sign-in page. */
export const AUTH_EVENT = 'relife:auth-required';

export class AuthRequiredError extends Error {
  constructor(message = 'This service needs an API token') {
    super(message);
  }
}

/** A mutation's expected failure (ValidationError, NotFoundError, ConflictError). */
export class MutationError extends Error {
  constructor(
    message: string,
    readonly typename: string,
    readonly problems: Problem[] = [],
  ) {
    super(message);
  }
}

function authHeaders(): Record<string, string> {
  const token = getToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

async function readError(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: string; errors?: { message: string }[] };
    return body.error ?? body.errors?.map((e) => e.message).join('; ') ?? text;
  } catch {
    return text || `${res.status} ${res.statusText}`;
  }
}

function checkAuth(res: Response): void {
  if (res.status === 401) {
    window.dispatchEvent(new Event(AUTH_EVENT));
    throw new AuthRequiredError();
  }
}

async function graphqlResponse<T>(res: Response): Promise<T> {
  checkAuth(res);
  const text = await res.text();
  // GraphQL answers carry `errors`; the front door's refusals (a body over its limit, a rate limit) `error`.
  let body: { data?: T; errors?: { message: string }[]; error?: string };
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`The service answered ${res.status}: ${text.slice(0, 200)}`);
  }
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  if (typeof body.error === 'string') throw new Error(body.error);
  if (!res.ok || body.data === undefined) throw new Error(`The service answered ${res.status}`);
  return body.data;
}

export async function gql<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...authHeaders() },
    body: JSON.stringify({ query, variables }),
  });
  return graphqlResponse<T>(res);
}

/**
 * GraphQL multipart request (github.com/jaydenseric/graphql-multipart-request-spec): `files` maps
 * a variable path such as `input.file` to the file sent in its place.
 */
export async function gqlMultipart<T>(query: string, variables: Record<string, unknown>, files: Record<string, File>): Promise<T> {
  const form = new FormData();
  const map: Record<string, string[]> = {};
  const entries = Object.entries(files);
  entries.forEach(([path], i) => (map[String(i)] = [`variables.${path}`]));
  form.append('operations', JSON.stringify({ query, variables }));
  form.append('map', JSON.stringify(map));
  entries.forEach(([, file], i) => form.append(String(i), file, file.name));
  const res = await fetch('/graphql', { method: 'POST', headers: { accept: 'application/json', ...authHeaders() }, body: form });
  return graphqlResponse<T>(res);
}

/** A mutation result union: the success's `data`, or a MutationError. */
export function unwrap<T>(result: { __typename?: string; data?: T; message?: string; problems?: Problem[] }): T {
  if (result.__typename?.endsWith('Success') && result.data !== undefined) return result.data;
  throw new MutationError(result.message ?? `Unexpected answer ${result.__typename}`, result.__typename ?? 'Error', result.problems ?? []);
}

/** The `... on Error` selection every mutation uses with unwrap. */
export const ERROR_FIELDS = `__typename ... on Error { message } ... on ValidationError { problems { row column message } }`;

/** A GraphQL subscription over server-sent events: yields each `next` payload's data. */
export async function* subscribe<T>(query: string, variables: Record<string, unknown>, signal: AbortSignal): AsyncGenerator<T> {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...authHeaders() },
    body: JSON.stringify({ query, variables }),
    signal,
  });
  checkAuth(res);
  if (!res.ok || !res.body) throw new Error(await readError(res));
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (event === 'complete') return;
      if (data.length === 0) continue;
      const payload = JSON.parse(data.join('\n')) as { data?: T; errors?: { message: string }[] };
      if (payload.errors?.length) throw new Error(payload.errors.map((e) => e.message).join('; '));
      if (payload.data) yield payload.data;
    }
  }
}

/** GET a file with the token and hand it to the browser as a download. */
export async function download(path: string, filename: string): Promise<void> {
  const res = await fetch(path, { headers: authHeaders() });
  checkAuth(res);
  if (!res.ok) throw new Error(await readError(res));
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** True when the service serves `path` (HEAD), for routes newer servers add. */
export async function routeExists(path: string): Promise<boolean> {
  const res = await fetch(path, { method: 'HEAD', headers: authHeaders() }).catch(() => null);
  return !!res && res.ok;
}

let featuresPromise: Promise<Features> | undefined;

/** One introspection query per page load, shared by every page. */
export function features(): Promise<Features> {
  featuresPromise ??= gql<Record<string, IntroType | null>>(FEATURES_QUERY).then(featuresFrom);
  featuresPromise.catch(() => (featuresPromise = undefined));
  return featuresPromise;
}
