import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseActiveId, parseXprop } from '../../../electron/core/capture/activeWindow.js';
import { ChunkLog } from '../../../electron/core/capture/chunks.js';
import { parseTsv } from '../../../electron/core/capture/ocr.js';
import { DEFAULT_EXCLUSIONS, excludedBy, findSensitive, luhnValid, sensitiveKindsInText, type Word } from '../../../electron/core/capture/privacy.js';

/** Words laid out as OCR gives them: one line per string, words 10 px apart. */
const words = (...lines: string[]): Word[] =>
  lines.flatMap((l, li) => l.split(' ').map((text, i) => ({ text, x: i * 100, y: li * 20, width: 90, height: 14, line: String(li) })));

describe('luhn', () => {
  it('accepts test card numbers and refuses one digit off', () => {
    for (const n of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117']) expect(luhnValid(n), n).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('123456789012')).toBe(false); // too short to be a card
  });
});

describe('sensitive text', () => {
  it('finds a card written in groups, with the boxes of its words only', () => {
    const [m, ...rest] = findSensitive(words('card 4111 1111 1111 1111 exp 12/29'));
    expect(rest).toEqual([]);
    expect(m.kind).toBe('card');
    expect(m.boxes.map((b) => b.x)).toEqual([100, 200, 300, 400]);
  });
  it('finds a card beside other digits on the line, and not an invalid number', () => {
    expect(sensitiveKindsInText('order 2024 4111-1111-1111-1111 total 42')).toEqual(['card']);
    expect(sensitiveKindsInText('tracking 1234 5678 9012 3456')).toEqual([]);
  });
  it('finds passwords, keys and tokens', () => {
    expect(sensitiveKindsInText('password: hunter2')).toEqual(['password']);
    expect(sensitiveKindsInText('Passwort=geheim')).toEqual(['password']);
    expect(sensitiveKindsInText('aws AKIAIOSFODNN7EXAMPLE')).toEqual(['aws-key']);
    expect(sensitiveKindsInText('ghp_abcdefghijklmnopqrstuvwxyz0123456789')).toEqual(['github-token']);
    expect(sensitiveKindsInText('OPENAI sk-proj-abcdefghijklmnop1234')).toEqual(['secret-key']);
    expect(sensitiveKindsInText('-----BEGIN RSA PRIVATE KEY-----')).toEqual(['private-key']);
  });
  it('leaves ordinary text alone', () => {
    expect(sensitiveKindsInText('The password manager is open in another window.\nCall 555 0100 at 10:30')).toEqual([]);
  });
  it('never joins words across lines', () => {
    expect(findSensitive(words('4111 1111', '1111 1111'))).toEqual([]);
  });
});

describe('exclusions', () => {
  it('excludes password managers and private windows by default', () => {
    expect(excludedBy({ app: 'KeePassXC', title: 'Passwords.kdbx' }, DEFAULT_EXCLUSIONS)?.reason).toBe('excluded');
    expect(excludedBy({ app: 'firefox', title: 'Bank — Mozilla Firefox Private Browsing' }, DEFAULT_EXCLUSIONS)?.reason).toBe('excluded');
    expect(excludedBy({ app: 'Google-chrome', title: 'New Tab - Google Chrome (Incognito)' }, DEFAULT_EXCLUSIONS)?.reason).toBe('excluded');
    expect(excludedBy({ app: 'msedge', title: '[InPrivate] - Microsoft Edge' }, DEFAULT_EXCLUSIONS)?.reason).toBe('excluded');
    expect(excludedBy({ app: 'code', title: 'notes.md — Visual Studio Code' }, DEFAULT_EXCLUSIONS)).toBeNull();
  });
  it('never captures Engram, whatever the list says, but a page about engrams is fine', () => {
    expect(excludedBy({ app: 'engram', title: 'Chat' }, { apps: [], titles: [] })?.reason).toBe('own-window');
    expect(excludedBy({ app: 'Electron', title: 'Engram' }, { apps: [], titles: [] })?.reason).toBe('own-window');
    expect(excludedBy({ app: 'firefox', title: 'Memory engrams — Wikipedia' }, { apps: [], titles: [] })).toBeNull();
  });
});

describe('X and OCR output parsing', () => {
  it('reads the active window id and its names', () => {
    expect(parseActiveId('_NET_ACTIVE_WINDOW: window id # 0x1c00007')).toBe('0x1c00007');
    expect(parseActiveId('_NET_ACTIVE_WINDOW: window id # 0x0')).toBeNull();
    const info = parseXprop('_NET_WM_NAME = "Notes — \\"draft\\""\nWM_NAME = "Notes"\nWM_CLASS = "xterm", "XTerm"\n');
    expect(info).toEqual({ title: 'Notes — "draft"', app: 'XTerm' });
  });
  it('reads tesseract TSV words with their lines', () => {
    const tsv = 'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n5\t1\t1\t1\t1\t1\t15\t407\t44\t15\t96\tcard\n4\t1\t1\t1\t1\t0\t15\t407\t300\t15\t-1\t\n';
    expect(parseTsv(tsv)).toEqual([{ text: 'card', x: 15, y: 407, width: 44, height: 15, line: '1.1.1.1' }]);
  });
});

describe('chunk log', () => {
  it('keeps one window within 10 s in one chunk, survives a restart and prunes what is gone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'engram-chunks-'));
    try {
      const file = join(dir, 'chunks.jsonl');
      const log = new ChunkLog(file);
      const a = log.start('d1', 'screen:a', 'm1', 0);
      expect(log.continues('d1', 'screen:a', 10_000)).toBe(a);
      expect(log.continues('d1', 'screen:b', 5_000)).toBeNull();
      expect(log.continues('d1', 'screen:a', 11_001)).toBeNull();
      log.addChange(a, 5_000, 0.01, { x: 0, y: 0, width: 10, height: 10 });
      log.start('d1', 'screen:a', 'm2', 12_000);
      log.closeAll();
      const again = new ChunkLog(file).recent(10);
      expect(again.map((c) => [c.memoryId, c.frames])).toEqual([['m2', 1], ['m1', 2]]);
      expect(new ChunkLog(file).prune(0, (id) => id !== 'm1')).toBe(1);
      expect(new ChunkLog(file).recent(10).map((c) => c.memoryId)).toEqual(['m2']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
