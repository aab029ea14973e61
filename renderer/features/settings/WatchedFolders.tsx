// Watched folders: each with its status, a remove button, and a way to add one.
// The native folder picker where there is one; a path field always, since the browser cannot pick folders by path.
import { useState, type FormEvent } from 'react';
import { ClientError, getClient } from '../../api/client';
import { Chip } from '../../components/Chip';
import { Icon } from '../../components/Icon';
import { useStore } from '../../store';

const STATUS = { watching: { label: 'Watching', tone: 'ok' }, missing: { label: 'Missing', tone: 'warn' }, error: { label: 'Error', tone: 'bad' } } as const;

export function WatchedFolders() {
  const folders = useStore((s) => s.folders);
  const canPick = useStore((s) => s.info?.canPickFiles ?? false);
  const { addFolder, removeFolder } = useStore.getState();
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!path.trim()) return;
    setBusy(true);
    if (await addFolder(path)) setPath('');
    setBusy(false);
  };

  const browse = async () => {
    try {
      const { paths } = await getClient().call('dialog.pickPaths', { folders: true });
      for (const p of paths) await addFolder(p);
    } catch (err) {
      if (err instanceof ClientError && err.code === 'unsupported') useStore.getState().notify('This window cannot open a folder picker; type the folder path instead.');
      else useStore.getState().fail('Could not open the folder picker', err);
    }
  };

  return (
    <section className="setting" aria-labelledby="folders-label">
      <h3 className="setting__title" id="folders-label">
        Watched folders
      </h3>
      <p className="setting__hint">New and changed files in these folders are remembered on their own.</p>
      {folders.length ? (
        <ul className="folders" data-testid="folders">
          {folders.map((f) => (
            <li key={f.path} className="folder" data-testid="folder" data-path={f.path}>
              <Icon name="folder" size={18} />
              <span className="folder__path" title={f.path}>
                {f.path}
              </span>
              <Chip tone={STATUS[f.status].tone} title={f.error ?? undefined}>
                {STATUS[f.status].label}
              </Chip>
              <button type="button" className="icon-btn icon-btn--sm" onClick={() => void removeFolder(f.path)} aria-label={`Stop watching ${f.path}`} title="Stop watching">
                <Icon name="trash" size={16} />
              </button>
              {f.error ? <p className="folder__error">{f.error}</p> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted folders__none">No folders watched yet.</p>
      )}
      <form className="add-folder" onSubmit={(e) => void submit(e)}>
        <label className="visually-hidden" htmlFor="folder-path">
          Folder path
        </label>
        <input
          id="folder-path"
          className="input"
          placeholder="/home/you/Documents/notes"
          value={path}
          onChange={(e) => setPath(e.currentTarget.value)}
          spellCheck={false}
          autoComplete="off"
          data-autofocus
        />
        <button type="submit" className="btn btn--primary" disabled={busy || !path.trim()}>
          Watch
        </button>
        {canPick ? (
          <button type="button" className="btn btn--secondary" onClick={() => void browse()}>
            Browse…
          </button>
        ) : null}
      </form>
    </section>
  );
}
