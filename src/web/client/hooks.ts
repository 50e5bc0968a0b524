/** Small shared pieces of the pages: async data, the hash route, error display. */
import { html } from 'htm/preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { AuthRequiredError, MutationError } from './api.js';

export interface Async<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload(): void;
}

/** Runs `load` when `deps` change; a newer call's answer wins over an older one's. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): Async<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: Error) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

export function useHashRoute(): string[] {
  const read = () => location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export const go = (...segments: string[]) => {
  location.hash = `#/${segments.map(encodeURIComponent).join('/')}`;
};

export const href = (...segments: string[]) => `#/${segments.map(encodeURIComponent).join('/')}`;

export function ErrorBox({ error }: { error: unknown }) {
  if (!error || error instanceof AuthRequiredError) return null;
  const e = error as Error;
  const problems = e instanceof MutationError ? e.problems : [];
  return html`<div class="error" role="alert">
    <strong>${e.message}</strong>
    ${problems.length > 0 &&
    html`<ul>
      ${problems.slice(0, 50).map((p) => html`<li>${p.row ? `row ${p.row}` : ''}${p.column ? `, ${p.column}` : ''}${p.row || p.column ? ': ' : ''}${p.message}</li>`)}
      ${problems.length > 50 && html`<li>… and ${problems.length - 50} more</li>`}
    </ul>`}
  </div>`;
}

export function Loading({ what }: { what: string }) {
  return html`<p class="muted" role="status">Loading ${what}…</p>`;
}
