// "Add files": the native picker where the transport has one, else a hidden <input type=file multiple>.
// The host answers dialog.pickPaths with `unsupported`, which is the cue to fall back.
import { useRef } from 'react';
import { ClientError, getClient } from '../../api/client';
import { Icon } from '../../components/Icon';
import { useStore } from '../../store';

export function AddFilesButton({ variant = 'primary', label = 'Add files' }: { variant?: 'primary' | 'secondary'; label?: string }) {
  const input = useRef<HTMLInputElement>(null);
  const canPick = useStore((s) => s.info?.canPickFiles ?? false);

  const pick = async () => {
    if (canPick) {
      try {
        const { paths } = await getClient().call('dialog.pickPaths', { folders: false });
        return void useStore.getState().addPaths(paths);
      } catch (err) {
        if (!(err instanceof ClientError && err.code === 'unsupported')) return useStore.getState().fail('Could not open the picker', err);
      }
    }
    input.current?.click();
  };

  return (
    <>
      <button type="button" className={`btn btn--${variant}`} onClick={() => void pick()}>
        <Icon name="plus" size={18} />
        {label}
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        data-testid="file-input"
        onChange={(e) => {
          const files = [...(e.currentTarget.files ?? [])];
          e.currentTarget.value = '';
          if (files.length) void useStore.getState().ingestFiles(files);
        }}
      />
    </>
  );
}
