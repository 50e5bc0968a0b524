/** The planner's web app: navigation, sign-in when the service asks for a token, the pages. */
import { html } from 'htm/preact';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { AUTH_EVENT, clearToken, getToken, gql, setToken } from './api.js';
import { ErrorBox, href, useHashRoute } from './hooks.js';
import { ApplicationsPage } from './pages/applications.js';
import { FleetPage } from './pages/fleet.js';
import { FleetsPage } from './pages/fleets.js';
import { ModulePage } from './pages/module.js';
import { PlanPage } from './pages/plan.js';
import { RunPage } from './pages/run.js';
import { RunsPage } from './pages/runs.js';

function SignIn({ onSignedIn }: { onSignedIn(): void }) {
  const [token, setValue] = useState('');
  const [error, setError] = useState<Error | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setToken(token.trim());
    try {
      await gql('{ __typename }');
      onSignedIn();
    } catch {
      clearToken();
      setError(new Error('The service did not accept this token.'));
    } finally {
      setBusy(false);
    }
  };
  return html`<section class="card" style="max-width: 480px">
    <h1>Sign in</h1>
    <p>This service needs an API token. It is kept in this browser tab only (session storage) and sent as <code>Authorization: Bearer …</code>.</p>
    <form onSubmit=${submit}>
      <label>API token <input type="password" name="token" autocomplete="off" required value=${token} onInput=${(e: Event) => setValue((e.target as HTMLInputElement).value)} /></label>
      <p><button type="submit" disabled=${busy || !token.trim()}>Sign in</button></p>
    </form>
    <${ErrorBox} error=${error} />
  </section>`;
}

const NAV = [
  { path: 'fleets', label: 'Fleets' },
  { path: 'applications', label: 'Applications' },
  { path: 'runs', label: 'Runs' },
];

function Page({ route }: { route: string[] }) {
  const [head, id] = route;
  switch (head) {
    case undefined:
    case 'fleets':
      return id ? html`<${FleetPage} id=${id} />` : html`<${FleetsPage} />`;
    case 'modules':
      return html`<${ModulePage} id=${id!} />`;
    case 'applications':
      return html`<${ApplicationsPage} />`;
    case 'runs':
      return id && id !== 'new' ? html`<${RunPage} id=${id} />` : html`<${RunsPage} fleetId=${route[2] === 'fleet' ? route[3] : undefined} />`;
    case 'plans':
      return html`<${PlanPage} id=${id!} />`;
    default:
      return html`<p>No page here. <a href="#/fleets">Fleets</a></p>`;
  }
}

function App() {
  const route = useHashRoute();
  const [needToken, setNeedToken] = useState(false);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const on = () => setNeedToken(true);
    window.addEventListener(AUTH_EVENT, on);
    return () => window.removeEventListener(AUTH_EVENT, on);
  }, []);
  const section = route[0] === 'modules' ? 'fleets' : route[0] === 'plans' ? 'runs' : (route[0] ?? 'fleets');
  const signedIn = !!getToken();
  useEffect(() => {
    const name = NAV.find((n) => n.path === section)?.label ?? 'Relife';
    document.title = `${name} · Relife`;
  }, [section]);
  return html`
    <header class="top">
      <a class="brand" href="#/fleets">Relife</a>
      <nav aria-label="Main">
        ${NAV.map((n) => html`<a href=${href(n.path)} aria-current=${section === n.path ? 'page' : undefined}>${n.label}</a>`)}
        <a href="/graphql">GraphQL console</a>
      </nav>
      ${signedIn &&
      html`<button class="link" type="button" onClick=${() => {
        clearToken();
        setNeedToken(true);
      }}>Sign out</button>`}
    </header>
    <main id="main">
      ${needToken
        ? html`<${SignIn} onSignedIn=${() => {
            setNeedToken(false);
            setGeneration((g) => g + 1);
          }} />`
        : html`<${Page} key=${`${generation}:${route.join('/')}`} route=${route} />`}
    </main>`;
}

render(html`<${App} />`, document.getElementById('app')!);
