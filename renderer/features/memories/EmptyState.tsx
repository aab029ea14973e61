// What a new bank shows: an invitation to drop files anywhere, or to pick them.
// The whole window accepts drops; this only says so, loudly.
import { AddFilesButton } from '../drop/AddFilesButton';
import { Icon } from '../../components/Icon';

export function EmptyState() {
  return (
    <section className="empty" aria-labelledby="empty-title">
      <div className="empty__art" aria-hidden="true">
        <span className="empty__sheet empty__sheet--a" />
        <span className="empty__sheet empty__sheet--b" />
        <span className="empty__sheet empty__sheet--c">
          <Icon name="upload" size={28} />
        </span>
      </div>
      <h1 id="empty-title" className="empty__title">
        Nothing remembered yet
      </h1>
      <p className="empty__text">Drop files anywhere in this window. Engram reads each page by sight and keeps it as a handful of vision tokens.</p>
      <AddFilesButton label="Choose files" />
      <p className="empty__kinds">PDF · Markdown · Text · Code · Word · Images</p>
    </section>
  );
}
