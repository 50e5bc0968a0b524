/**
 * Editing an application's capacity in the web app (real chromium) keeps everything else of it:
 * `updateApplication` replaces every field, so the page sends back what it read, the daily SOC
 * profile and the daily temperature swing included (the page once dropped the profile, and with
 * it the time at SOC its calendar ageing is averaged over).
 */
import { describe, expect, it } from 'vitest';
import { webExtension } from '../../src/web/routes.js';
import { RUN_BROWSER_TESTS } from './browser.js';
import { servedPage } from './served-page.js';

const DUTY = `duty { ambientTemperatureC seasonalSwingC dailyTemperatureSwingC socProfile { points { hour socPercent } timeAtSoc { socPercent hours } source } }`;

describe.runIf(RUN_BROWSER_TESTS)('application edited in the web app', () => {
  const served = servedPage({ seedDemo: true, extensions: [webExtension()] });

  it('saves the new capacity and keeps the daily SOC profile and the temperature swing', async () => {
    const { server, ui } = served;
    // An application with a daily temperature swing as well as its profile.
    const before = await server.gql(`{ applications { id name capacityLimitKwh kind requirements { minSohPercent maxResistanceMilliohm maxCellTemperatureC minServiceYears endOfLifeSohPercent } economics { repurposingCostUsdPerModule integrationCostUsdPerKwh valueUsdPerMwh } envelopes { name description socMinPercent socMaxPercent dodFactor activeCooling } ${DUTY} cyclesPerDay: duty { cyclesPerDay depthOfDischarge cRate socMinPercent socMaxPercent } } }`);
    const app = before.data.applications.find((a: { duty: { socProfile: unknown } }) => a.duty.socProfile !== null);
    expect(app, 'a default application with a daily SOC profile').toBeDefined();
    const { socProfile, ...duty } = app.duty;
    const input = {
      name: app.name,
      kind: app.kind,
      capacityLimitKwh: app.capacityLimitKwh,
      duty: { ...duty, ...app.cyclesPerDay, dailyTemperatureSwingC: 6, socProfile: { points: socProfile.points, timeAtSoc: socProfile.timeAtSoc, source: socProfile.source } },
      requirements: app.requirements,
      economics: app.economics,
      envelopes: app.envelopes,
    };
    const set = await server.gql(`mutation($id: ID!, $input: ApplicationInput!) { updateApplication(id: $id, input: $input) { __typename ... on Error { message } } }`, { id: app.id, input });
    expect(set.data.updateApplication.__typename).toBe('MutationUpdateApplicationSuccess');

    const { page } = ui;
    await page.goto(`${server.url}/#/applications`);
    await page.getByRole('heading', { name: 'Applications', level: 1 }).waitFor();
    const card = page.locator('section.card', { has: page.getByRole('heading', { name: app.name }) });
    await expect.poll(() => card.innerText(), { timeout: 30_000 }).toContain('± 6');
    await card.getByLabel('Capacity limit (kWh)').fill('123.5');
    await card.getByRole('button', { name: `Save ${app.name}` }).click();
    await expect.poll(async () => (await server.gql(`{ applications { id capacityLimitKwh } }`)).data.applications.find((a: { id: string }) => a.id === app.id).capacityLimitKwh, { timeout: 30_000 }).toBe(123.5);

    const after = await server.gql(`{ applications { id ${DUTY} } }`);
    const saved = after.data.applications.find((a: { id: string }) => a.id === app.id);
    expect(saved.duty.socProfile).toEqual(socProfile);
    expect(saved.duty.dailyTemperatureSwingC).toBe(6);
  });
});
