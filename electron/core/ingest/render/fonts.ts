// The only place that registers fonts: DejaVu Sans, Serif and Sans Mono, loaded from the npm package.
// Pages must render the same on every machine (the encoder trains on them), so no system font is ever asked for.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';
import { EngramError } from '../../../contract/errors.js';

/** Family names are our own aliases, so a system copy of DejaVu (another version) can never be picked instead. */
export const FAMILY = { sans: 'Engram Sans', serif: 'Engram Serif', mono: 'Engram Mono' } as const;
export type Family = keyof typeof FAMILY;

const FILES: Record<Family, readonly string[]> = {
  sans: ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf', 'DejaVuSans-BoldOblique.ttf'],
  serif: ['DejaVuSerif.ttf', 'DejaVuSerif-Bold.ttf', 'DejaVuSerif-Italic.ttf', 'DejaVuSerif-BoldItalic.ttf'],
  mono: ['DejaVuSansMono.ttf', 'DejaVuSansMono-Bold.ttf', 'DejaVuSansMono-Oblique.ttf', 'DejaVuSansMono-BoldOblique.ttf'],
};

let registered = false;

function fontDir(): string {
  const require = createRequire(import.meta.url);
  let pkg: string;
  try {
    pkg = require.resolve('dejavu-fonts-ttf/package.json');
  } catch (err) {
    throw new EngramError('internal', `the dejavu-fonts-ttf package is missing, pages cannot be drawn: ${(err as Error).message}`);
  }
  // In a packaged app the package sits in app.asar, which native code cannot read; electron-builder unpacks it beside.
  return path.join(path.dirname(pkg), 'ttf').replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
}

/** Registers the fonts once per process; cheap to call before every page. */
export function ensureFonts(): void {
  if (registered) return;
  const dir = fontDir();
  for (const [family, files] of Object.entries(FILES) as [Family, readonly string[]][]) {
    for (const file of files) {
      const full = path.join(dir, file);
      if (!existsSync(full) || !GlobalFonts.registerFromPath(full, FAMILY[family])) {
        throw new EngramError('internal', `could not load the font ${full}`);
      }
    }
  }
  registered = true;
}

export interface FontStyle {
  family: Family;
  /** In page units (see layout.ts); scaled to pixels only when drawn. */
  size: number;
  bold?: boolean;
  italic?: boolean;
}

/** The CSS font shorthand for a style at a given pixel size. */
export function cssFont(style: FontStyle, size = style.size): string {
  const parts = [];
  if (style.italic) parts.push('italic');
  if (style.bold) parts.push('bold');
  parts.push(`${size}px`, `"${FAMILY[style.family]}"`);
  return parts.join(' ');
}
