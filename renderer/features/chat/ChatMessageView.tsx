// One turn of a conversation: the question, or the answer with the pages it came from. An answer built from
// nothing says so plainly and cites nothing; a failed one says why.
import type { ChatMessage } from '../../store/chatHistory';
import { Icon } from '../../components/Icon';
import { CitationCard } from './CitationCard';

export function ChatMessageView({ message: m }: { message: ChatMessage }) {
  if (m.role === 'user') {
    return (
      <li className="msg msg--user" data-testid="chat-message" data-role="user">
        <p className="msg__text">{m.text}</p>
      </li>
    );
  }
  const cites = m.citations ?? [];
  return (
    <li className={`msg msg--assistant${m.nothingRemembered ? ' msg--nothing' : ''}${m.error ? ' msg--failed' : ''}`} data-testid="chat-message" data-role="assistant" data-nothing={String(Boolean(m.nothingRemembered))}>
      {m.nothingRemembered ? (
        <div className="msg__nothing" data-testid="nothing-remembered">
          <Icon name="forget" size={18} />
          <div>
            <p className="msg__text">{m.text || 'Nothing remembered about that.'}</p>
            <p className="msg__hint">Engram answers only from what it still remembers, and nothing it holds is about this.</p>
          </div>
        </div>
      ) : m.text ? (
        <p className="msg__text" data-testid="answer-text">
          {m.text}
        </p>
      ) : null}
      {m.error ? (
        <p className="msg__error" role="alert">
          <Icon name="warning" size={15} /> {m.error}
        </p>
      ) : null}
      {cites.length ? (
        <>
          <p className="msg__sources">From {cites.length === 1 ? 'this page' : `these ${cites.length} pages`}</p>
          <ol className="cites" data-testid="citations">
            {cites.map((c, i) => (
              <CitationCard key={c.id} citation={c} n={i + 1} />
            ))}
          </ol>
        </>
      ) : null}
      {m.answerer && !m.error ? (
        <p className="msg__meta">
          {m.answerer} · read {m.contextTokens ?? 0} of {m.budgetTokens ?? 0} tokens · {Math.round(m.totalMs ?? 0)} ms
          {m.notes?.length ? ` · ${m.notes.join('; ')}` : ''}
        </p>
      ) : null}
    </li>
  );
}
