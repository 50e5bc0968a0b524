/**
 * A CSV file over the upload limit, chosen in the web app in real chromium: the page shows the
 * service's refusal, naming the limit, its setting and `relife import` (the browser sends the
 * file's size, so the server answers 413 before reading it, with `{ "error": … }`, not GraphQL's
 * `errors`), and no fleet is created.
 */
import { describe, expect, it } from 'vitest';
import { webExtension } from '../../src/web/routes.js';
import { RUN_BROWSER_TESTS } from './browser.js';
import { servedPage } from './served-page.js';

const LIMIT = 4_000;

describe.runIf(RUN_BROWSER_TESTS)('upload over the limit in the web app', () => {
  const served = servedPage({ extensions: [webExtension()], limits: { maxUploadBytes: LIMIT } });

  it('shows the refusal with the limit and what to do instead', async () => {
    const { server, ui } = served;
    const { page } = ui;
    await page.goto(`${server.url}/`);
    const rows = ['serial,chemistry,nominal_capacity_ah,nominal_voltage_v,soh_percent,internal_resistance_mohm,temp_min_c,temp_max_c,cycle_count,manufacturer'];
    for (let i = 0; i < 200; i++) rows.push(`BIG${i},NMC,50,59.2,70,30,18,32,1000,Intake Co`);
    const csv = `${rows.join('\n')}\n`;
    expect(csv.length).toBeGreaterThan(2 * LIMIT);
    await page.getByLabel('New fleet name').fill('too-big');
    await page.getByLabel('CSV file', { exact: true }).setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.innerText(), { timeout: 30_000 }).toContain(`${LIMIT} bytes`);
    const text = await alert.innerText();
    expect(text).toContain('RELIFE_MAX_UPLOAD_BYTES');
    expect(text).toContain('relife import');
    expect(text).not.toMatch(/answered 413/);
    const { data } = await server.gql(`{ fleets { edges { node { name } } } }`);
    expect(data.fleets.edges.map((e: { node: { name: string } }) => e.node.name)).not.toContain('too-big');
  });
});
