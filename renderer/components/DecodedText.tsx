// What a memory's tokens read back as, at one level: the decoded text, or plainly why there is none.
// The optical decoder may read little from a faint gist; an empty reading is shown as empty, never dressed up.
export function DecodedText({ level, tokens, text, note, loading, testId }: { level: string; tokens: number; text: string | null | undefined; note: string | null | undefined; loading?: boolean; testId?: string }) {
  const empty = text !== null && text !== undefined && text.trim() === '';
  return (
    <figure className="decoded" data-testid={testId} data-level={level} data-tokens={tokens} data-state={loading ? 'loading' : text === null || text === undefined ? 'none' : empty ? 'empty' : 'text'}>
      <figcaption className="decoded__cap">
        Decoded from {tokens} {tokens === 1 ? 'token' : 'tokens'} at <strong>{level}</strong>
      </figcaption>
      {loading ? (
        <p className="decoded__text decoded__text--muted">Decoding…</p>
      ) : text === null || text === undefined ? (
        <p className="decoded__text decoded__text--muted">No text can be read back at this level.</p>
      ) : empty ? (
        <p className="decoded__text decoded__text--muted">The decoder read no text from these tokens.</p>
      ) : (
        <p className="decoded__text" data-testid={testId ? `${testId}-text` : undefined}>
          {text}
        </p>
      )}
      {note ? (
        <p className="decoded__note" data-testid={testId ? `${testId}-note` : undefined}>
          {note}
        </p>
      ) : null}
    </figure>
  );
}
