/**
 * simulate.ts keeps one fused loop per kernel (power-law: NMC, NCA, LMO; LFP) for speed. Everything
 * but their fade state and step must stay the same line for line: this test reads the source and
 * compares the shared parts (set-up before the fade constants, the loop head through the thermal
 * step, and everything from the outputs to the end).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const src = readFileSync(new URL('../../src/twin/simulate.ts', import.meta.url), 'utf8');

function body(name: string): string[] {
  const start = src.indexOf(`function ${name}(`);
  expect(start, name).toBeGreaterThan(0);
  const end = src.indexOf('\n}\n', start);
  return src.slice(start, end).split('\n').slice(1).map((l) => l.trim());
}

function between(lines: string[], from: string, to: string | null): string[] {
  const a = lines.findIndex((l) => l.startsWith(from));
  const b = to === null ? lines.length : lines.findIndex((l, i) => i > a && l.startsWith(to));
  expect(a, from).toBeGreaterThanOrEqual(0);
  expect(b, String(to)).toBeGreaterThan(a);
  return lines.slice(a, b);
}

describe('fused kernels', () => {
  const nmc = body('runStepsNmc');
  const lfp = body('runStepsLfp');
  it('share their set-up', () => {
    expect(between(nmc, 'const steps =', 'const sc2')).toEqual(between(lfp, 'const steps =', 'const sc2'));
  });
  it('share the loop head and the thermal step', () => {
    expect(between(nmc, 'let month = 0;', 'let r0')).toEqual(between(lfp, 'let month = 0;', 'let r0'));
  });
  it('share the throughput-conservation stretch (set-up and step)', () => {
    expect(between(nmc, '// Energy-throughput conservation', 'let month = 0;')).toEqual(between(lfp, '// Energy-throughput conservation', 'let month = 0;'));
    expect(between(nmc, '// Throughput conservation: the day stretched', 'const exact =')).toEqual(between(lfp, '// Throughput conservation: the day stretched', 'const exact ='));
    expect(between(nmc, '// Throughput conservation: the day stretched', 'const exact =').length).toBeGreaterThan(15);
  });
  it('share everything after the fade outputs', () => {
    expect(between(nmc, 'const lost = qAnchor - qRel;', null)).toEqual(between(lfp, 'const lost = qAnchor - qRel;', null));
  });
  it('the comparison is not vacuous', () => {
    expect(between(nmc, 'const lost = qAnchor - qRel;', null).length).toBeGreaterThan(40);
  });
});
