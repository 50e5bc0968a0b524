import { describe, expect, it } from 'vitest';
import { defaultApplications } from '../../src/demo/default-applications.js';
import { ApplicationsFileError, parseApplicationsJson } from '../../src/planning/applications-file.js';
import { formatProblem } from '../../src/validation/problem.js';

const good = defaultApplications();

function problems(text: string): string[] {
  try {
    parseApplicationsJson(text);
  } catch (e) {
    if (e instanceof ApplicationsFileError) return e.problems.map(formatProblem);
    throw e;
  }
  return [];
}

describe('applications file', () => {
  it('round-trips the four defaults (array or wrapped) and slugs missing ids', () => {
    expect(parseApplicationsJson(JSON.stringify(good))).toEqual(good.map((a) => ({ ...a, capacitySharePercent: null, envelopes: a.envelopes.map((e) => ({ ...e })) })));
    expect(parseApplicationsJson(JSON.stringify({ applications: good })).map((a) => a.id)).toEqual(['grid', 'solar', 'backup', 'microgrid']);
    const noId = good.map(({ id: _id, ...rest }) => rest);
    expect(parseApplicationsJson(JSON.stringify(noId)).map((a) => a.id)).toEqual(['grid-storage', 'solar-storage', 'residential-backup', 'rural-microgrid']);
  });

  it('reports every problem with its place and value', () => {
    const bad = structuredClone(good) as any[];
    bad[0].kind = 'NUCLEAR';
    bad[1].duty.cRate = 'fast';
    bad[2].capacityLimitKwh = -5;
    bad[3].envelopes.push({ ...bad[3].envelopes[0] });
    bad[3].economics.valueUsdPerMwh = -1;
    const p = problems(JSON.stringify(bad));
    expect(p).toContain('applications[0].kind: expected one of GRID, SOLAR, BACKUP, MICROGRID, CUSTOM');
    expect(p).toContain('applications[1].duty.cRate: must be a finite number, got "fast"');
    expect(p).toContain('applications[2].capacityLimitKwh: must be in (0, 10000000], got -5');
    expect(p.some((x) => x.startsWith('applications[3].envelopes[') && x.includes('already names envelopes['))).toBe(true);
    expect(p).toContain('applications[3].economics.valueUsdPerMwh: must be in [0, 10000000], got -1');
  });

  it('rejects duplicate ids, physics out of range, empty lists and non-JSON', () => {
    expect(problems(JSON.stringify([good[0], good[0]]))).toEqual(['applications[1].id: "grid" already used by applications[0]']);
    const hot = structuredClone(good[0]);
    hot.duty.depthOfDischarge = 1.5;
    expect(problems(JSON.stringify([hot]))[0]).toMatch(/applications\[0\]\.duty\.depthOfDischarge: must be in \(0, 1\], got 1\.5/);
    expect(problems('[]')).toEqual(['file: the list of applications is empty']);
    expect(problems('{"x":1}')[0]).toMatch(/expected a JSON array/);
    expect(problems('[{')[0]).toMatch(/not valid JSON/);
  });
});
