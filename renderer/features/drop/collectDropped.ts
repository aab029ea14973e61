// Turns a drop's DataTransfer into files: folders are walked with webkitGetAsEntry in a browser, where they have no path.
// Entries must be taken during the drop event itself: the item list is emptied once the handler returns.
export interface Dropped {
  /** Files, with folders expanded (browser) or left whole (Electron, which ingests a folder by its path). */
  files: File[];
  /** Folders that could not be read (permissions, a vanished entry). */
  unreadable: string[];
}

type Entry = FileSystemEntry;

function readAllEntries(dir: FileSystemDirectoryEntry): Promise<Entry[]> {
  const reader = dir.createReader();
  const out: Entry[] = [];
  // readEntries answers in batches (about 100 in Chromium) until it returns an empty one.
  return new Promise((resolve, reject) => {
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) return resolve(out);
        out.push(...batch);
        next();
      }, reject);
    next();
  });
}

const entryFile = (entry: FileSystemFileEntry) => new Promise<File>((resolve, reject) => entry.file(resolve, reject));

async function walk(entry: Entry, files: File[], unreadable: string[]): Promise<void> {
  try {
    if (entry.isFile) {
      files.push(await entryFile(entry as FileSystemFileEntry));
    } else if (entry.isDirectory) {
      for (const child of await readAllEntries(entry as FileSystemDirectoryEntry)) {
        // Hidden files and folders (.git, .DS_Store) are never what someone meant to remember.
        if (!child.name.startsWith('.')) await walk(child, files, unreadable);
      }
    }
  } catch {
    unreadable.push(entry.fullPath || entry.name);
  }
}

/** Call synchronously inside the drop handler; the returned promise may settle later. */
export function collectDropped(dt: DataTransfer, expandFolders: boolean): Promise<Dropped> {
  const files: File[] = [];
  const unreadable: string[] = [];
  if (!expandFolders || !dt.items || dt.items.length === 0) {
    return Promise.resolve({ files: [...dt.files], unreadable });
  }
  const pending: Promise<void>[] = [];
  for (const item of [...dt.items]) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.();
    if (entry?.isDirectory) {
      pending.push(walk(entry, files, unreadable));
    } else {
      // Synthetic transfers (and some platforms) give no entry: the File itself is all there is.
      const file = item.getAsFile();
      if (file) files.push(file);
    }
  }
  return Promise.all(pending).then(() => ({ files, unreadable }));
}

export const hasFiles = (dt: DataTransfer | null) => !!dt && [...dt.types].includes('Files');
