// What capture must never keep: excluded windows (password managers, private browsing, Engram itself) and
// sensitive text (cards, passwords, keys). Pure rules over a window and OCR words, so every rule is testable alone.
import type { CaptureExclusions } from '../../contract/capture.js';

export interface WindowInfo {
  /** The application (X: WM_CLASS class; macOS/Windows: the process name), '' when unknown. */
  app: string;
  title: string;
}

export const DEFAULT_EXCLUSIONS: CaptureExclusions = {
  apps: ['KeePassXC', '1Password', 'Bitwarden', 'LastPass', 'KeePass', 'Enpass', 'Dashlane', 'gnome-keyring', 'Seahorse'],
  titles: ['Private Browsing', 'Incognito', 'InPrivate', 'KeePassXC', '1Password', 'Bitwarden', 'LastPass'],
};

/** Engram's own window is never captured, whatever the list says. */
export const OWN_WINDOW = 'Engram';

export type Exclusion = { reason: 'own-window' | 'excluded'; detail: string } | null;

export function excludedBy(win: WindowInfo, ex: CaptureExclusions): Exclusion {
  const title = win.title.toLowerCase();
  const app = win.app.toLowerCase();
  // Case-sensitive whole word: Engram's windows say “Engram”; a page about engrams in neuroscience is fair game.
  if (new RegExp(`\\b${OWN_WINDOW}\\b`).test(win.title) || app === OWN_WINDOW.toLowerCase()) return { reason: 'own-window', detail: 'Engram’s own window' };
  const a = ex.apps.find((x) => x.trim() && app.includes(x.trim().toLowerCase()));
  if (a) return { reason: 'excluded', detail: `application matches “${a}”` };
  const t = ex.titles.find((x) => x.trim() && title.includes(x.trim().toLowerCase()));
  if (t) return { reason: 'excluded', detail: `window title matches “${t}”` };
  return null;
}

/** One word an OCR pass read, with its box in screen pixels. */
export interface Word {
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Which line it is on (OCR's block/paragraph/line), so matches never join words across lines. */
  line: string;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type SensitiveKind = 'card' | 'password' | 'aws-key' | 'github-token' | 'secret-key' | 'private-key' | 'slack-token' | 'google-key';

export interface SensitiveMatch {
  kind: SensitiveKind;
  boxes: Box[];
}

export function luhnValid(digits: string): boolean {
  if (!/^\d{13,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const TOKEN_PATTERNS: [SensitiveKind, RegExp][] = [
  ['aws-key', /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['github-token', /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/],
  ['secret-key', /\bsk-(?:proj-|live_|test_)?[A-Za-z0-9_-]{16,}/],
  ['slack-token', /\bxox[abprs]-[A-Za-z0-9-]{10,}/],
  ['google-key', /\bAIza[0-9A-Za-z_-]{30,}/],
  ['private-key', /-----BEGIN(?: [A-Z]+)* PRIVATE KEY-----|BEGIN(?: [A-Z]+)* PRIVATE KEY/],
];
// "password: x", "passwd=x", "pwd x", "passphrase: x", "Passwort:" and the like, with a value after the label.
const PASSWORD = /\b(?:pass(?:word|wort|wd|phrase|code)?|pwd|secret|api[_ -]?key|token)\s*[:=]\s*\S+/i;

/** The kinds of sensitive content in plain text, for callers without word boxes (an optical decoder's text). */
export function sensitiveKindsInText(text: string): SensitiveKind[] {
  const words = text.split('\n').flatMap((line, i) =>
    line.split(/\s+/).filter(Boolean).map((t, k) => ({ text: t, x: k, y: i, width: 0, height: 0, line: String(i) })),
  );
  return [...new Set(findSensitive(words).map((m) => m.kind))];
}

/**
 * Sensitive matches over OCR words, each with the boxes to paint over. Lines are read as their words joined by
 * spaces; a match's boxes are the words whose characters it covers.
 */
export function findSensitive(words: readonly Word[]): SensitiveMatch[] {
  const lines = new Map<string, Word[]>();
  for (const w of words) {
    if (!w.text.trim()) continue;
    const l = lines.get(w.line);
    if (l) l.push(w);
    else lines.set(w.line, [w]);
  }
  const out: SensitiveMatch[] = [];
  for (const ws of lines.values()) {
    ws.sort((a, b) => a.x - b.x);
    const spans: { start: number; end: number; w: Word }[] = [];
    let text = '';
    for (const w of ws) {
      if (text) text += ' ';
      spans.push({ start: text.length, end: text.length + w.text.length, w });
      text += w.text;
    }
    const boxesOf = (start: number, end: number) => spans.filter((s) => s.end > start && s.start < end).map((s) => boxOf(s.w));
    const add = (kind: SensitiveKind, start: number, end: number) => out.push({ kind, boxes: boxesOf(start, end) });

    for (const [kind, re] of TOKEN_PATTERNS) {
      for (const m of text.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`))) add(kind, m.index!, m.index! + m[0].length);
    }
    for (const m of text.matchAll(new RegExp(PASSWORD.source, 'gi'))) add('password', m.index!, m.index! + m[0].length);
    // Card numbers: consecutive digit groups (spaces or dashes between, as people and forms write them) whose
    // digits pass Luhn; trying every run of groups finds a card beside a date or an amount on the same line.
    const groups = [...text.matchAll(/\d+/g)].map((m) => ({ start: m.index!, end: m.index! + m[0].length, d: m[0] }));
    for (let i = 0; i < groups.length; i++) {
      let digits = '';
      for (let j = i; j < groups.length; j++) {
        if (j > i && !/^[ -]?$/.test(text.slice(groups[j - 1].end, groups[j].start))) break;
        digits += groups[j].d;
        if (digits.length > 19) break;
        if (digits.length >= 13 && luhnValid(digits)) {
          add('card', groups[i].start, groups[j].end);
          i = j;
          break;
        }
      }
    }
  }
  return out;
}

function boxOf(w: Word): Box {
  return { x: w.x, y: w.y, width: w.width, height: w.height };
}

export function cutoffFor(retentionDays: number, now: number): number {
  return now - retentionDays * 24 * 60 * 60 * 1000;
}
