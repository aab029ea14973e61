// The house rules of ../shared/STYLE.md, made mechanical: the engine never imports electron, the contract
// imports only zod, and the renderer sees nothing under electron/ but the contract's types.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  const abs = join(root, dir);
  try {
    statSync(abs);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of readdirSync(abs, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (/\.(ts|tsx|mts|cts)$/.test(e.name)) out.push(p);
  }
  return out;
}

interface Import {
  spec: string;
  typeOnly: boolean;
}

function imports(file: string): Import[] {
  const text = readFileSync(join(root, file), 'utf8');
  const found: Import[] = [];
  const re = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) {
    const spec = m[3] ?? m[4] ?? m[5];
    found.push({ spec, typeOnly: Boolean(m[2]) });
  }
  return found;
}

const isElectron = (s: string) => s === 'electron' || s.startsWith('electron/');

describe('import rules', () => {
  it('finds the engine sources it checks', () => {
    expect(sources('electron/core').length).toBeGreaterThan(5);
    expect(sources('electron/contract').length).toBeGreaterThan(3);
  });

  for (const dir of ['electron/core', 'electron/contract', 'electron/host', 'electron/cli']) {
    it(`${dir} never imports electron or the main process`, () => {
      const bad = sources(dir).flatMap((f) =>
        imports(f)
          .filter((i) => isElectron(i.spec) || /(^|\/)main\//.test(i.spec) || /(^|\/)renderer\//.test(i.spec))
          .map((i) => `${f}: ${i.spec}`),
      );
      expect(bad).toEqual([]);
    });
  }

  it('the contract imports only zod and itself', () => {
    const bad = sources('electron/contract').flatMap((f) =>
      imports(f)
        .filter((i) => i.spec !== 'zod' && !i.spec.startsWith('./'))
        .map((i) => `${f}: ${i.spec}`),
    );
    expect(bad).toEqual([]);
  });

  it('host and cli never import the Electron shell', () => {
    const bad = [...sources('electron/host'), ...sources('electron/cli')].flatMap((f) =>
      imports(f)
        .filter((i) => i.spec.includes('/main/') || i.spec.includes('/preload/'))
        .map((i) => `${f}: ${i.spec}`),
    );
    expect(bad).toEqual([]);
  });

  it('the renderer imports only types from electron/contract', () => {
    const bad = sources('renderer').flatMap((f) =>
      imports(f)
        .filter((i) => {
          if (isElectron(i.spec)) return true;
          if (!i.spec.includes('electron/')) return false;
          return !(i.typeOnly && /electron\/contract(\/|$)/.test(i.spec));
        })
        .map((i) => `${relative(root, join(root, f))}: ${i.spec}`),
    );
    expect(bad).toEqual([]);
  });
});
