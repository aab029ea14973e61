// Adds lock entries for optional platform packages that npm 11 leaves out of package-lock.json (npm/cli#4828), without
// which `npm ci` refuses the lock. Run after `npm install` changes the lock: node scripts/lockfile-optional.mjs
import { readFileSync, writeFileSync } from 'node:fs';
const path = process.argv[2] ?? 'package-lock.json';
const lock = JSON.parse(readFileSync(path, 'utf8'));
const pk = lock.packages;
let added = 0;
for (const [key, entry] of Object.entries(pk)) {
  for (const [dep, ver] of Object.entries(entry.optionalDependencies ?? {})) {
    // Resolve as Node does: the nearest node_modules up the tree.
    const parts = key.split('/node_modules/');
    let found = false;
    for (let i = parts.length; i >= 0 && !found; i--) {
      const prefix = parts.slice(0, i).join('/node_modules/');
      const k = (prefix ? `${prefix}/node_modules/` : 'node_modules/') + dep;
      if (pk[k]) found = true;
    }
    if (!found) {
      pk[`node_modules/${dep}`] = { version: ver, dev: entry.dev, optional: true };
      added++;
    }
  }
}
writeFileSync(path, JSON.stringify(lock, null, 2) + '\n');
console.log(`added ${added} missing optional entries`);
