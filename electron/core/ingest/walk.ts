// Expands the paths a person hands to ingest into the files to ingest. Folders are walked without
// following symlinked folders (so a link loop cannot recurse), skipping dotfiles, node_modules and .git.
import { lstat, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

export function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

export interface WalkResult {
  files: string[];
  /** Paths that could not be expanded, with why (a missing path, an unreadable folder). */
  failed: { source: string; error: string }[];
}

/** `accept` filters files found inside folders; files named directly are always returned, so they get a per-file error if unsupported. */
export async function expandPaths(paths: string[], accept: (name: string) => boolean): Promise<WalkResult> {
  const out: WalkResult = { files: [], failed: [] };
  const seen = new Set<string>();
  const push = (f: string) => {
    if (!seen.has(f)) {
      seen.add(f);
      out.files.push(f);
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = await stat(p);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ELOOP') push(p); // let ingest report the loop on this file
      else out.failed.push({ source: p, error: describeFsError(e) });
      continue;
    }
    if (st.isDirectory()) await walkDir(p, accept, push, out);
    else push(p);
  }
  return out;
}

async function walkDir(dir: string, accept: (name: string) => boolean, push: (f: string) => void, out: WalkResult): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    out.failed.push({ source: dir, error: describeFsError(err as NodeJS.ErrnoException) });
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (isIgnoredName(e.name)) continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) await walkDir(full, accept, push, out);
    else if (e.isSymbolicLink()) {
      // A linked file is ingested; a linked folder is not followed (it may loop back on itself).
      const target = await stat(full).catch((err: NodeJS.ErrnoException) => err);
      if (target instanceof Error) {
        if (accept(e.name)) out.failed.push({ source: full, error: describeFsError(target) });
      } else if (target.isFile() && accept(e.name)) push(full);
    } else if (e.isFile() && accept(e.name)) push(full);
  }
}

export function describeFsError(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ENOENT':
      return 'file not found (it may have been deleted or moved)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied: Engram cannot read this file';
    case 'ELOOP':
      return 'symbolic link loop: the link points back at itself';
    case 'EISDIR':
      return 'this is a folder, not a file';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files; try again';
    default:
      return e.message || String(e);
  }
}

export { basename };
