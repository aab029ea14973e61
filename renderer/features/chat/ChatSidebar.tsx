// The chat sidebar: ask what you read about something, watch the answer stream in with the pages it came from.
// Threads live in this window's IndexedDB; any thread can be picked again, deleted, or downloaded as Markdown.
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Icon } from '../../components/Icon';
import { useStore } from '../../store';
import { chatHistory, threadMarkdown } from '../../store/chatHistory';
import { ChatMessageView } from './ChatMessageView';

async function downloadThread(threadId: string) {
  const db = chatHistory();
  const thread = await db.threads.get(threadId);
  if (!thread) return;
  const md = threadMarkdown(thread, await db.listMessages(threadId));
  const url = URL.createObjectURL(new Blob([md], { type: 'text/markdown' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${thread.title.replace(/[^\p{L}\p{N} _-]+/gu, '').trim().slice(0, 60) || 'engram-chat'}.md`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ChatSidebar() {
  const threads = useStore((s) => s.threads);
  const threadId = useStore((s) => s.threadId);
  const messages = useStore((s) => s.messages);
  const streaming = useStore((s) => s.streaming);
  const { openThread, newThread, deleteThread, ask, toggleChat } = useStore.getState();
  const [question, setQuestion] = useState('');
  const end = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [messages.length, streaming?.text]);
  useEffect(() => input.current?.focus(), [threadId]);

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (!question.trim() || streaming) return;
    void ask(question);
    setQuestion('');
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey) submit(e);
  };
  const streamingHere = streaming && streaming.threadId === threadId;

  return (
    <aside className="chat" aria-label="Chat" data-testid="chat">
      <header className="chat__head">
        <h2 className="chat__title">
          <Icon name="chat" size={18} /> Ask your memory
        </h2>
        <button type="button" className="icon-btn" onClick={() => toggleChat(false)} aria-label="Close chat" title="Close chat">
          <Icon name="close" />
        </button>
      </header>
      <div className="chat__threads">
        <label className="visually-hidden" htmlFor="thread-pick">
          Thread
        </label>
        <select id="thread-pick" className="input chat__pick" value={threadId ?? ''} onChange={(e) => (e.currentTarget.value ? void openThread(e.currentTarget.value) : newThread())} data-testid="thread-pick">
          <option value="">New conversation</option>
          {threads.map((t) => (
            <option key={t.id} value={t.id}>
              {t.title}
            </option>
          ))}
        </select>
        <button type="button" className="icon-btn" onClick={newThread} aria-label="New conversation" title="New conversation" data-testid="new-thread">
          <Icon name="plus" size={18} />
        </button>
        <button type="button" className="icon-btn" onClick={() => threadId && void downloadThread(threadId)} disabled={!threadId} aria-label="Export as Markdown" title="Export as Markdown" data-testid="export-thread">
          <Icon name="download" size={18} />
        </button>
        <button type="button" className="icon-btn" onClick={() => threadId && void deleteThread(threadId)} disabled={!threadId} aria-label="Delete conversation" title="Delete conversation">
          <Icon name="trash" size={18} />
        </button>
      </div>
      <div className="chat__scroll">
        {messages.length === 0 && !streamingHere ? (
          <div className="chat__empty">
            <p className="chat__empty-title">What did you read about…?</p>
            <p className="muted">Answers come only from pages Engram still remembers, with the pages they came from. If nothing fits, it says so.</p>
          </div>
        ) : null}
        <ol className="msgs" data-testid="messages">
          {messages.map((m) => (
            <ChatMessageView key={m.id} message={m} />
          ))}
          {streamingHere ? (
            <li className="msg msg--assistant msg--streaming" data-testid="streaming" aria-live="polite">
              <p className="msg__text">
                {streaming.text || <span className="muted">Looking through memories…</span>}
                <span className="caret" aria-hidden="true" />
              </p>
            </li>
          ) : null}
        </ol>
        <div ref={end} />
      </div>
      <form className="chat__compose" onSubmit={submit}>
        <label className="visually-hidden" htmlFor="chat-question">
          Question
        </label>
        <textarea
          id="chat-question"
          ref={input}
          className="input chat__input"
          rows={2}
          placeholder="Ask about anything you dropped in…"
          value={question}
          onChange={(e) => setQuestion(e.currentTarget.value)}
          onKeyDown={onKey}
          maxLength={2000}
          data-testid="chat-input"
        />
        <button type="submit" className="btn btn--primary chat__send" disabled={!question.trim() || Boolean(streaming)} aria-label="Ask" data-testid="chat-send">
          <Icon name="send" size={17} />
        </button>
      </form>
    </aside>
  );
}
