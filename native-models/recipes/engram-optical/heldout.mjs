// Builds the held-out fidelity set: real documents training never saw (Debian docs and licences, Python's stdlib),
// as text, markdown, code and PDF (made here with pdf-lib's Times-Roman; the line reader trains on pdf-lib's standard fonts too,
// drawing other text).
//
//   node native-models/recipes/engram-optical/heldout.mjs OUT_DIR
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';

const out = resolve(process.argv[2] ?? 'heldout');
mkdirSync(out, { recursive: true });

export const SOURCES = {
  text: ['/usr/share/common-licenses/BSD', '/usr/share/common-licenses/MPL-2.0', '/usr/share/common-licenses/Artistic', '/usr/share/doc/base-passwd/README', '/usr/share/doc/libnettle8/README'],
  markdown: ['/usr/share/doc/procps/bugs.md', '/usr/share/doc/python3-httplib2/README.md', '/usr/share/doc/libglib2.0-0/README.md', '/usr/share/doc/git/README.md', '/usr/share/doc/systemd/DISTRO_PORTING.md', '/usr/share/doc/polkitd/README.md'],
  code: ['/usr/lib/python3.11/textwrap.py', '/usr/lib/python3.11/shlex.py', '/usr/lib/python3.11/fnmatch.py', '/usr/lib/python3.11/bisect.py', '/usr/lib/python3.11/glob.py'],
  pdf: ['/usr/share/common-licenses/Apache-2.0', '/usr/share/doc/libmpfr6/README'],
};

const tag = (p) => p.replace(/^\/usr\/(share\/)?/, '').replace(/[^A-Za-z0-9.]+/g, '_');
for (const p of SOURCES.text) if (existsSync(p)) copyFileSync(p, join(out, tag(p) + '.txt'));
for (const p of SOURCES.markdown) if (existsSync(p)) copyFileSync(p, join(out, tag(p)));
for (const p of SOURCES.code) if (existsSync(p)) copyFileSync(p, join(out, tag(p)));

// PDFs: Times-Roman 11 pt on US Letter, wrapped by width, as a word processor would print them.
for (const p of SOURCES.pdf) {
  if (!existsSync(p)) continue;
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.TimesRoman);
  const size = 11, lh = 14, margin = 72, W = 612, H = 792;
  const text = readFileSync(p, 'utf8').replace(/[^\x20-\x7e\n]/g, '');
  const lines = [];
  for (const para of text.split('\n')) {
    let cur = '';
    for (const w of para.split(/\s+/).filter(Boolean)) {
      const next = cur ? cur + ' ' + w : w;
      if (font.widthOfTextAtSize(next, size) > W - 2 * margin && cur) {
        lines.push(cur);
        cur = w;
      } else cur = next;
    }
    lines.push(cur);
  }
  let page = null, y = 0, n = 0;
  for (const l of lines) {
    if (!page || y < margin) {
      if (n++ >= 4) break;
      page = doc.addPage([W, H]);
      y = H - margin;
    }
    if (l) page.drawText(l, { x: margin, y, size, font });
    y -= lh;
  }
  writeFileSync(join(out, tag(p) + '.pdf'), await doc.save());
}
console.log(`held-out set in ${out}`);
