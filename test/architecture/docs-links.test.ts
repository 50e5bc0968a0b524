/**
 * Every document the code, tests, benchmarks and docs cite is in the repository: each `docs/….md`
 * (or image) named anywhere in src/, test/, bench/, docs/ or the README, each relative link of a
 * docs page and of the README, and each source file docs/architecture.md places a concept in.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function files(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path, ext));
    else if (ext.test(name)) out.push(path);
  }
  return out;
}

const TEXT = /\.(ts|js|mjs|md|html|css|py)$/;
const citing = [...['src', 'test', 'bench', 'docs', 'tools'].flatMap((d) => files(join(ROOT, d), TEXT)), join(ROOT, 'README.md')];

describe('cited documents', () => {
  it('every docs/ path named in the tree exists', () => {
    const missing: string[] = [];
    for (const file of citing) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bdocs\/[A-Za-z0-9_./-]*[A-Za-z0-9_-]\.(md|png|svg|jpg)\b/g)) {
        if (!existsSync(join(ROOT, m[0]))) missing.push(`${relative(ROOT, file)} cites ${m[0]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every relative link of the README and the docs pages leads to a file', () => {
    const missing: string[] = [];
    for (const file of [join(ROOT, 'README.md'), ...files(join(ROOT, 'docs'), /\.md$/)]) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/.test(target)) continue;
        if (!existsSync(resolve(dirname(file), target))) missing.push(`${relative(ROOT, file)} links ${target}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every file docs/architecture.md places a concept in exists', () => {
    const text = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
    const section = text.slice(text.indexOf('## Where a concept lives'), text.indexOf('## Rules'));
    expect(section.length).toBeGreaterThan(100);
    const missing: string[] = [];
    for (const row of section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| concept'))) {
      // `src/planning/x.ts`, then bare names in the same folder as the last full path.
      let folder = '';
      for (const m of row.split('|')[2]!.matchAll(/`([^`]+)`/g)) {
        const name = m[1]!.replace(/\s.*$/, '');
        const path = name.includes('/') ? name : join(folder, name);
        if (name.includes('/')) folder = dirname(name);
        if (name.includes('*')) continue;
        if (!existsSync(join(ROOT, path))) missing.push(path);
      }
    }
    expect(missing).toEqual([]);
  });
});
