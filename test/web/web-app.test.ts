/**
 * The planner's web app in real chromium against a real server (the extensions `npm start` has:
 * runs and the web app) on a fresh PGlite database with the demo seeded: the demo fleet is listed, a CSV file is uploaded, a run is started and followed to
 * 100 %, the knee is clicked on the front and selected, and the downloaded plan CSV matches the
 * plan GraphQL returns. Any request to another host fails the test.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
// The server module first, as `npm start` loads it: the job routes import it back.
import '../helpers/server.js';
import { createApiToken } from '../../src/auth/tokens.js';
import { jobsExtension } from '../../src/server-extensions.js';
import { webExtension } from '../../src/web/routes.js';
import { RUN_BROWSER_TESTS, SCREENSHOT_DIR } from './browser.js';
import { servedPage } from './served-page.js';

/** Twelve modules a planner might receive: NMC, SOH 58–80 %, resistance rising as SOH falls. */
function intakeCsv(): string {
  const rows = ['serial,chemistry,nominal_capacity_ah,nominal_voltage_v,soh_percent,internal_resistance_mohm,temp_min_c,temp_max_c,cycle_count,manufacturer'];
  for (let i = 0; i < 12; i++) {
    const soh = 80 - i * 2;
    rows.push(`W${String(i + 1).padStart(2, '0')},NMC,50,59.2,${soh},${(22 + (80 - soh) * 1.1).toFixed(1)},${18 + (i % 3)},${32 + (i % 4) * 3},${900 + i * 120},Intake Co`);
  }
  return `${rows.join('\n')}\n`;
}

describe.runIf(RUN_BROWSER_TESTS)('web app in headless chromium', () => {
  const served = servedPage({ seedDemo: true, extensions: [jobsExtension({ concurrency: 1, log: () => {} }), webExtension()] });

  it('uploads a CSV, runs, selects the knee from the front and downloads the same plan', async () => {
    const { server, ui } = served;
    const { page } = ui;
    await page.goto(`${server.url}/`);
    const fleets = page.getByTestId('fleets-table');
    await expect.poll(() => fleets.innerText(), { timeout: 30_000 }).toContain('paper-120');
    await ui.screenshot('fleets');

    // Upload: a new fleet from a CSV file.
    await page.getByLabel('New fleet name').fill('web-intake');
    await page.getByLabel('CSV file', { exact: true }).setInputFiles({ name: 'intake.csv', mimeType: 'text/csv', buffer: Buffer.from(intakeCsv()) });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.waitForURL(/#\/fleets\/.+/);
    await expect.poll(() => page.getByTestId('module-count').innerText(), { timeout: 30_000 }).toBe('12');
    await page.getByTestId('modules-table').waitFor();
    await expect.poll(() => page.locator('.chart canvas').count()).toBe(3);
    const fleetId = decodeURIComponent(page.url().split('#/fleets/')[1]!);
    await ui.screenshot('fleet');

    // Sorting the module table by SOH puts the healthiest module first when descending.
    const soh = page.getByRole('button', { name: /^SOH/ });
    await soh.click();
    await soh.click();
    await expect.poll(() => page.getByTestId('modules-table').locator('tbody tr').first().innerText()).toContain('W01');

    // A module: its projection under every application.
    await page.getByRole('link', { name: 'W03' }).click();
    await page.getByRole('heading', { name: 'Module W03' }).waitFor();
    await expect.poll(() => page.locator('#proj-h ~ table tbody tr td.num').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await ui.screenshot('module');

    await page.getByRole('link', { name: 'Applications' }).click();
    await page.getByRole('heading', { name: 'Applications', level: 1 }).waitFor();
    await page.getByLabel('Capacity limit (kWh)').first().waitFor();
    await ui.screenshot('applications');

    // Start a small run of the uploaded fleet.
    await page.goto(`${server.url}/#/runs/new/fleet/${encodeURIComponent(fleetId)}`);
    await page.getByRole('heading', { name: 'Start an optimisation' }).waitFor();
    await page.getByLabel('Population (4–10 000)').fill('16');
    await page.getByLabel('Generations (1–100 000)').fill('12');
    await page.getByLabel('Seed').fill('3');
    await ui.screenshot('runs');
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL((url) => /#\/runs\/[^/]+$/.test(url.href) && !url.hash.includes('/new'));
    const runId = decodeURIComponent(page.url().split('#/runs/')[1]!);
    await expect.poll(() => page.getByTestId('progress-text').innerText(), { timeout: 120_000 }).toContain('100 %');
    expect(await page.getByTestId('progress-text').innerText()).toContain('Generation 12 of 12');

    // The front: click the knee where the chart drew it.
    const chart = page.getByTestId('front-0-1');
    await chart.waitFor({ timeout: 30_000 });
    await expect.poll(() => chart.getAttribute('data-knee-x')).not.toBeNull();
    const run = await server.gql(`query($id: ID!) { optimizationRun(id: $id) { status kneeIndex front { index knee } } }`, { id: runId });
    expect(run.data.optimizationRun.status).toBe('SUCCEEDED');
    const kneeIndex: number = run.data.optimizationRun.kneeIndex;
    expect(kneeIndex).not.toBeNull();
    // Warnings above the front can push it below the fold: a click outside the viewport lands nowhere.
    await chart.scrollIntoViewIfNeeded();
    const box = (await chart.boundingBox())!;
    const kx = Number(await chart.getAttribute('data-knee-x'));
    const ky = Number(await chart.getAttribute('data-knee-y'));
    await page.mouse.move(box.x + kx, box.y + ky);
    await page.mouse.click(box.x + kx, box.y + ky);
    const panel = page.getByTestId('solution-panel');
    await panel.getByRole('heading', { name: `Solution ${kneeIndex} knee` }).waitFor({ timeout: 30_000 });
    await ui.screenshot('front');
    await page.locator('section', { has: page.locator('#front-h') }).screenshot({ path: `${SCREENSHOT_DIR}front-charts.png` });

    await panel.getByRole('button', { name: `Select solution ${kneeIndex} as the plan` }).click();
    await page.waitForURL(/#\/plans\/.+/);
    const planId = decodeURIComponent(page.url().split('#/plans/')[1]!);
    await page.getByTestId('allocations-table').waitFor({ timeout: 30_000 });
    await ui.screenshot('plan');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    // The module rows; `total` rows per application follow them.
    const rows = (parse(csv, { columns: true, skip_empty_lines: true }) as Record<string, string>[]).filter((r) => r.row_type !== 'total');

    const plan = await server.gql(
      `query($id: ID!) { node(id: $id) { ... on AllocationPlan { solutionIndex knee runId allocations(first: 500) { edges { node { serial applicationName envelope recycled } } } } } }`,
      { id: planId },
    );
    const p = plan.data.node;
    expect(p.solutionIndex).toBe(kneeIndex);
    expect(p.knee).toBe(true);
    const expected = p.allocations.edges.map((e: any) => ({ serial: e.node.serial, application: e.node.recycled ? 'RECYCLE' : e.node.applicationName, envelope: e.node.envelope ?? '' }));
    expect(expected).toHaveLength(12);
    expect(rows.map((r) => ({ serial: r.serial, application: r.application, envelope: r.envelope ?? '' }))).toEqual(expected);

    // The plan page's table shows the same allocation.
    const shownSerials = await page.getByTestId('allocations-table').locator('tbody tr td:first-child').allInnerTexts();
    expect(shownSerials).toEqual(expected.map((e: { serial: string }) => e.serial));

    expect(ui.foreign).toEqual([]);
    expect(ui.errors).toEqual([]);
    // The only failed requests allowed: the page asking whether the optional exports exist.
    expect(ui.failed.filter((f) => !/^HEAD \S+\/plans\/[^/]+\.(json|xlsx) 404$/.test(f))).toEqual([]);
  }, 300_000);

  it('opens GraphiQL from the service itself and runs a query', async () => {
    const { server, ui } = served;
    const { page } = ui;
    const query = '{ fleets { edges { node { name moduleCount } } } }';
    await page.goto(`${server.url}/graphql?query=${encodeURIComponent(query)}`);
    await page.locator('.graphiql-execute-button').waitFor({ timeout: 60_000 });
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(() => page.locator('.graphiql-response').innerText(), { timeout: 30_000 }).toContain('paper-120');
    await ui.screenshot('graphiql');
    expect(ui.foreign).toEqual([]);
  }, 120_000);

  it('asks for a token when the service answers 401, sends it as a bearer header, and hands it to GraphiQL', async () => {
    const { database, server, ui } = served;
    const page = await ui.context.newPage();
    // A real token of the demo's tenant: once it exists, the service asks every request for one
    // (this test runs last in the file for that reason).
    const { token } = await createApiToken(database.db, { tenantName: 'default', role: 'admin', label: 'web test' });
    server.server.authenticator.invalidate();
    const seen: (string | undefined)[] = [];
    // The service as it is with tokens on: GraphQL answers 401 without the right bearer token.
    await page.route('**/graphql*', (route) => {
      const request = route.request();
      if (request.method() !== 'POST') return route.fallback();
      const auth = request.headers()['authorization'];
      seen.push(auth);
      if (auth !== `Bearer ${token}`) return route.fulfill({ status: 401, contentType: 'application/json', body: '{"error":"an API token is required"}' });
      return route.fallback();
    });
    try {
      await page.goto(`${server.url}/`);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: 30_000 });
      await page.getByLabel('API token').fill('wrong');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('The service did not accept this token.').waitFor();
      await page.getByLabel('API token').fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByTestId('fleets-table').innerText(), { timeout: 30_000 }).toContain('paper-120');
      expect(await page.evaluate(() => sessionStorage.getItem('relife.token'))).toBe(token);
      expect(seen).toContain('Bearer wrong');
      expect(seen.at(-1)).toBe(`Bearer ${token}`);

      const query = '{ fleets { edges { node { name } } } }';
      await page.goto(`${server.url}/graphql?query=${encodeURIComponent(query)}`);
      await page.locator('.graphiql-execute-button').waitFor({ timeout: 60_000 });
      // Monaco draws spaces as no-break spaces.
      await expect.poll(async () => (await page.locator('body').innerText()).replace(/\s+/g, ' '), { timeout: 30_000 }).toContain(`"Authorization": "Bearer ${token}"`);
      await page.screenshot({ path: `${SCREENSHOT_DIR}graphiql-token.png` });
      await page.locator('.graphiql-execute-button').click();
      await expect.poll(() => page.locator('.graphiql-response').innerText(), { timeout: 30_000 }).toContain('paper-120');
      expect(ui.foreign).toEqual([]);
    } finally {
      await page.close();
    }
  }, 180_000);
});
