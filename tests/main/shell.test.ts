// The shell's Electron-facing pieces with a stand-in `electron` module (the real one cannot load without its binary):
// the engram:// protocol serves dist/renderer with the CSP and nothing outside it, the URL guard, and the menu.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const handlers = new Map<string, (req: Request) => Promise<Response>>();
vi.mock('electron', () => ({
  protocol: {
    registerSchemesAsPrivileged: vi.fn(),
    handle: (scheme: string, h: (req: Request) => Promise<Response>) => handlers.set(scheme, h),
  },
  Menu: { buildFromTemplate: vi.fn(), setApplicationMenu: vi.fn() },
  BrowserWindow: class {},
  screen: {},
  shell: {},
}));

const { CSP, INDEX_URL, SCHEME, serveRenderer } = await import('../../electron/main/protocol.js');
const { isOwnUrl } = await import('../../electron/main/window.js');
const { menuTemplate } = await import('../../electron/main/menu.js');

describe('engram:// protocol', () => {
  let dir: string;
  let serve: (url: string) => Promise<Response>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'engram-protocol-'));
    mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Engram</title>');
    writeFileSync(join(dir, 'renderer', 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), 'outside the renderer');
    serveRenderer(join(dir, 'renderer'));
    serve = (url) => handlers.get(SCHEME)!(new Request(url));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the renderer with a strict CSP', async () => {
    const res = await serve(INDEX_URL);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('<title>Engram</title>');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toBe(CSP);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    const js = await serve('engram://app/assets/app.js');
    expect(js.headers.get('content-type')).toContain('text/javascript');
  });

  it('answers client-side routes with the app shell, and missing files with 404', async () => {
    expect(await (await serve('engram://app/memories/m1')).text()).toContain('<title>Engram</title>');
    expect((await serve('engram://app/assets/missing.js')).status).toBe(404);
    expect((await serve('engram://elsewhere/index.html')).status).toBe(404);
  });

  it('never serves a file outside dist/renderer', async () => {
    for (const url of ['engram://app/../secret.txt', 'engram://app/%2e%2e/secret.txt', 'engram://app/assets/..%2f..%2fsecret.txt']) {
      const res = await serve(url);
      expect(res.status, url).not.toBe(200);
    }
  });
});

describe('isOwnUrl', () => {
  it('accepts only engram://app', () => {
    expect(isOwnUrl('engram://app/index.html')).toBe(true);
    expect(isOwnUrl('engram://app/memories/1')).toBe(true);
    expect(isOwnUrl('engram://other/index.html')).toBe(false);
    expect(isOwnUrl('https://example.com/')).toBe(false);
    expect(isOwnUrl('file:///work/main/dist/renderer/index.html')).toBe(false);
    expect(isOwnUrl('not a url')).toBe(false);
  });
});

describe('menuTemplate', () => {
  const actions = { addFiles: vi.fn(), watchFolder: vi.fn(), openDataFolder: vi.fn(), about: vi.fn() };
  type Item = { label?: string; role?: string; submenu?: Item[]; click?: () => void };

  it('has File (add files, watch folder, quit), Edit, View, Window and Help', () => {
    const t = menuTemplate({ isMac: false, isDev: false, actions }) as Item[];
    expect(t.map((i) => i.label ?? i.role)).toEqual(['&File', 'editMenu', '&View', 'windowMenu', 'help']);
    const file = t[0]!.submenu!;
    file.find((i) => i.label === 'Add Files…')!.click!();
    file.find((i) => i.label === 'Watch Folder…')!.click!();
    expect(actions.addFiles).toHaveBeenCalledOnce();
    expect(actions.watchFolder).toHaveBeenCalledOnce();
    expect(file.some((i) => i.role === 'quit')).toBe(true);
  });

  it('offers reload and devtools only in development', () => {
    const roles = (isDev: boolean) => ((menuTemplate({ isMac: false, isDev, actions }) as Item[])[2]!.submenu ?? []).map((i) => i.role);
    expect(roles(true)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(false)).not.toContain('reload');
  });

  it('starts with the app menu on macOS', () => {
    expect((menuTemplate({ isMac: true, isDev: false, actions }) as Item[])[0]).toEqual({ role: 'appMenu' });
  });
});
