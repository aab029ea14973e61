// Builds the compressor's text corpus: one document a line ("P\t" prose or "C\t" code, then the text), whitespace runs collapsed, printable ASCII only.
// Text comes from files inside node_modules only (never /usr/share or the Python stdlib: those are held out).
// Usage: npx tsx native-models/recipes/engram-optical/corpus.ts OUT.txt [--max-mb 40]
import { readFileSync, writeFileSync } from 'node:fs';
import { collectSources, toCharset } from './gen_pages.js';

const out = process.argv[2];
if (!out) throw new Error('usage: corpus.ts OUT.txt [--max-mb N]');
const mi = process.argv.indexOf('--max-mb');
const maxBytes = (mi > 0 ? Number(process.argv[mi + 1]) : 40) * 1024 * 1024;
const { code, prose } = collectSources();
// Alternate prose and code so both are in the corpus whatever the cap; every file once, in a fixed order.
const files: [string, string][] = [];
for (let i = 0; i < Math.max(code.length, prose.length); i++) {
  if (i < prose.length) files.push(['P', prose[i]]);
  if (i < code.length) files.push(['C', code[i]]);
}
const seen = new Set<string>();
const docs: string[] = [];
let bytes = 0;
for (const [tag, f] of files) {
  const text = toCharset(readFileSync(f, 'utf8')).replace(/\s+/g, ' ').trim();
  if (text.length < 400) continue;
  const key = text.slice(0, 200);
  if (seen.has(key)) continue;
  seen.add(key);
  docs.push(`${tag}\t${text.slice(0, 60_000)}`);
  bytes += Math.min(text.length, 60_000) + 1;
  if (bytes > maxBytes) break;
}
writeFileSync(out, docs.join('\n') + '\n');
console.log(`${docs.length} documents, ${(bytes / 1048576).toFixed(1)} MiB (from ${prose.length} prose and ${code.length} code files) -> ${out}`);
