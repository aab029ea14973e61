// Draws the app icon and tray icons into build/ (run: node build/make-icons.mjs).
// A script rather than hand-made art so the icons can be regenerated at any size.
import { createCanvas } from '@napi-rs/canvas';
import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function icon(size, { tray = false, dim = false } = {}) {
  const c = createCanvas(size, size);
  const g = c.getContext('2d');
  const s = size / 512;
  if (!tray) {
    const r = 96 * s;
    g.beginPath();
    g.roundRect(16 * s, 16 * s, 480 * s, 480 * s, r);
    const grad = g.createLinearGradient(0, 0, size, size);
    grad.addColorStop(0, '#4f46e5');
    grad.addColorStop(1, '#0f766e');
    g.fillStyle = grad;
    g.fill();
  }
  const ink = tray ? (dim ? '#9ca3af' : '#e5e7eb') : '#ffffff';
  g.strokeStyle = ink;
  g.fillStyle = ink;
  g.lineWidth = (tray ? 56 : 34) * s;
  g.lineCap = 'round';
  // An eye: two arcs and a pupil. Engram remembers what it has seen.
  g.beginPath();
  g.moveTo(96 * s, 256 * s);
  g.quadraticCurveTo(256 * s, 76 * s, 416 * s, 256 * s);
  g.quadraticCurveTo(256 * s, 436 * s, 96 * s, 256 * s);
  g.stroke();
  g.beginPath();
  g.arc(256 * s, 256 * s, (tray ? 72 : 64) * s, 0, Math.PI * 2);
  g.fill();
  if (dim) {
    // Paused: a slash through the eye.
    g.beginPath();
    g.moveTo(112 * s, 112 * s);
    g.lineTo(400 * s, 400 * s);
    g.stroke();
  }
  return c.toBuffer('image/png');
}

writeFileSync(here + '/icon.png', icon(512));
writeFileSync(here + '/tray.png', icon(22, { tray: true }));
writeFileSync(here + '/tray@2x.png', icon(44, { tray: true }));
writeFileSync(here + '/tray-paused.png', icon(22, { tray: true, dim: true }));
writeFileSync(here + '/tray-paused@2x.png', icon(44, { tray: true, dim: true }));
