// Makes the whole window a drop target and shows the overlay while files are dragged over it.
// Counts dragenter/dragleave pairs because they also fire for every child element crossed.
import { useEffect, useRef, useState } from 'react';
import { getClient } from '../../api/client';
import { Icon } from '../../components/Icon';
import { useStore } from '../../store';
import { collectDropped, hasFiles } from './collectDropped';

export function DropZone() {
  const [dragging, setDragging] = useState(false);
  const depth = useRef(0);

  useEffect(() => {
    const onEnter = (e: DragEvent) => {
      if (!hasFiles(e.dataTransfer)) return;
      e.preventDefault();
      depth.current++;
      setDragging(true);
    };
    const onOver = (e: DragEvent) => {
      if (!hasFiles(e.dataTransfer)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const onLeave = (e: DragEvent) => {
      if (!hasFiles(e.dataTransfer)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setDragging(false);
    };
    const onDrop = (e: DragEvent) => {
      // Without this, a missed drop navigates the window to the file.
      e.preventDefault();
      depth.current = 0;
      setDragging(false);
      if (!e.dataTransfer || !hasFiles(e.dataTransfer)) return;
      // Electron ingests a dropped folder by its path; a browser must walk it.
      const expand = getClient().transport !== 'ipc';
      void collectDropped(e.dataTransfer, expand).then(({ files, unreadable }) => {
        const s = useStore.getState();
        if (unreadable.length) s.notify(`Could not read ${unreadable.join(', ')}`, 'error');
        if (files.length === 0) return s.notify('Nothing to add in that drop');
        s.notify(`Adding ${files.length} file${files.length === 1 ? '' : 's'}…`);
        void s.ingestFiles(files);
      });
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, []);

  if (!dragging) return null;
  return (
    <div className="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
      <div className="drop-overlay__card">
        <div className="drop-overlay__icon">
          <Icon name="upload" size={40} />
        </div>
        <p className="drop-overlay__title">Drop to remember</p>
        <p className="drop-overlay__hint">PDFs, notes, markdown, code, Word documents, images and folders</p>
      </div>
    </div>
  );
}
