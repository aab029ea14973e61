// start.mjs's Electron check, on real temporary folders and a real stand-in binary: it must say why
// Electron cannot start, never reach for the download, and pick the binary the way electron/index.js would.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectElectron, isStale, probeBinary } from '../../scripts/start.mjs';

let root: string;
const display = { DISPLAY: ':99' };

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'engram-start-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A fake node_modules/electron; `binary` is the shell script put where path.txt points. */
function fakeElectron(opts: { pathTxt?: boolean; binary?: string } = {}) {
  const pkg = join(root, 'node_modules', 'electron');
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  writeFileSync(join(pkg, 'package.json'), '{"name":"electron","version":"45.4.1"}');
  if (opts.pathTxt) writeFileSync(join(pkg, 'path.txt'), 'electron');
  if (opts.binary) {
    writeFileSync(join(pkg, 'dist', 'electron'), opts.binary);
    chmodSync(join(pkg, 'dist', 'electron'), 0o755);
  }
  return join(pkg, 'dist', 'electron');
}

describe('detectElectron', () => {
  it('honours ENGRAM_NO_ELECTRON=1 before looking at anything', () => {
    expect(detectElectron({ root, env: { ENGRAM_NO_ELECTRON: '1', ...display } })).toEqual({
      ok: false,
      reason: expect.stringContaining('ENGRAM_NO_ELECTRON=1'),
    });
  });

  it('says when the electron package is not installed', () => {
    expect(detectElectron({ root, env: display })).toMatchObject({ ok: false, reason: expect.stringContaining('not installed') });
  });

  it('says the binary was never downloaded when path.txt is missing, without trying to fetch it', () => {
    fakeElectron();
    const probe = () => {
      throw new Error('must not probe');
    };
    const r = detectElectron({ root, env: display, probe });
    expect(r).toMatchObject({ ok: false, reason: expect.stringContaining('never downloaded') });
  });

  it('says when path.txt points at a binary that is not there', () => {
    fakeElectron({ pathTxt: true });
    expect(detectElectron({ root, env: display })).toMatchObject({ ok: false, reason: expect.stringContaining('binary is missing') });
  });

  it('says when the binary is there but does not run', () => {
    fakeElectron({ pathTxt: true, binary: '#!/bin/sh\necho "error while loading shared libraries: libnss3.so" >&2\nexit 127\n' });
    expect(detectElectron({ root, env: display })).toMatchObject({ ok: false, reason: expect.stringContaining('libnss3.so') });
  });

  it('refuses on Linux without a display, and accepts a working binary with one', () => {
    const bin = fakeElectron({ pathTxt: true, binary: '#!/bin/sh\n[ "$1" = "--version" ] && echo v45.4.1\n' });
    expect(detectElectron({ root, env: {}, platform: 'linux' })).toMatchObject({ ok: false, reason: expect.stringContaining('no display') });
    expect(detectElectron({ root, env: display, platform: 'linux' })).toEqual({ ok: true, bin, version: 'v45.4.1' });
    expect(detectElectron({ root, env: { WAYLAND_DISPLAY: 'wayland-0' }, platform: 'linux' })).toMatchObject({ ok: true });
  });

  it('uses ELECTRON_OVERRIDE_DIST_PATH like electron/index.js does', () => {
    fakeElectron();
    const other = join(root, 'custom-electron');
    mkdirSync(other);
    writeFileSync(join(other, 'electron'), '#!/bin/sh\necho v45.0.0\n');
    chmodSync(join(other, 'electron'), 0o755);
    expect(detectElectron({ root, env: { ...display, ELECTRON_OVERRIDE_DIST_PATH: other }, platform: 'linux' })).toEqual({
      ok: true,
      bin: join(other, 'electron'),
      version: 'v45.0.0',
    });
  });
});

describe('probeBinary', () => {
  it('reports a binary that cannot be executed', () => {
    expect(probeBinary(join(root, 'nope'))).toMatchObject({ ok: false });
  });
});

describe('isStale', () => {
  it('is stale when the output is missing or older than any input', () => {
    const out = join(root, 'out.txt');
    const src = join(root, 'src');
    mkdirSync(join(src, 'node_modules'), { recursive: true });
    writeFileSync(join(src, 'a.ts'), 'a');
    expect(isStale(out, [src])).toBe(true);
    writeFileSync(out, 'built');
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(src, 'a.ts'), old, old);
    expect(isStale(out, [src])).toBe(false);
    // node_modules under an input does not count.
    writeFileSync(join(src, 'node_modules', 'dep.js'), 'x');
    expect(isStale(out, [src])).toBe(false);
    const future = new Date(Date.now() + 60_000);
    writeFileSync(join(src, 'b.ts'), 'b');
    utimesSync(join(src, 'b.ts'), future, future);
    expect(isStale(out, [src])).toBe(true);
  });
});
