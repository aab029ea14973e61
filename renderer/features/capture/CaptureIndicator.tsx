// The header's sign that the screen is being captured: a pulsing dot while the timer runs, one click to stop.
// Absent when capture is off, so its presence always means something.
import { Icon } from '../../components/Icon';
import { useStore } from '../../store';

export function CaptureIndicator() {
  const capturing = useStore((s) => s.capture?.capturing ?? false);
  const interval = useStore((s) => s.capture?.intervalSeconds ?? 0);
  if (!capturing) return null;
  return (
    <button
      type="button"
      className="capture-chip"
      onClick={() => void useStore.getState().setCapture({ enabled: false })}
      title={`Capturing the screen every ${interval} s. Click to stop.`}
      data-testid="capture-indicator"
    >
      <span className="capture-dot is-on" aria-hidden="true" />
      Capturing
      <Icon name="pause" size={13} />
    </button>
  );
}
