// Chat threads and their messages, with citations, kept in the renderer's IndexedDB through Dexie.
// The engine keeps no chat history: what was asked and answered belongs to this window's profile.
import Dexie, { type EntityTable } from 'dexie';
import type { Citation } from '../../electron/contract';

export interface ChatThread {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
}

export interface ChatMessage {
  id: string;
  threadId: string;
  role: 'user' | 'assistant';
  text: string;
  createdAt: string;
  /** Assistant messages: the memories the answer came from (empty when nothing was remembered). */
  citations?: Citation[];
  nothingRemembered?: boolean;
  answerer?: string;
  contextTokens?: number;
  budgetTokens?: number;
  firstTokenMs?: number;
  totalMs?: number;
  notes?: string[];
  /** Set when the answer failed; `text` then holds what had streamed, if anything. */
  error?: string;
}

export class ChatHistory extends Dexie {
  threads!: EntityTable<ChatThread, 'id'>;
  messages!: EntityTable<ChatMessage, 'id'>;
  constructor(name = 'engram-chat') {
    super(name);
    this.version(1).stores({ threads: 'id, updatedAt', messages: 'id, threadId, [threadId+createdAt]' });
  }

  /** Newest thread first. */
  listThreads(): Promise<ChatThread[]> {
    return this.threads.orderBy('updatedAt').reverse().toArray();
  }

  listMessages(threadId: string): Promise<ChatMessage[]> {
    return this.messages.where('[threadId+createdAt]').between([threadId, Dexie.minKey], [threadId, Dexie.maxKey]).toArray();
  }

  async addMessage(message: ChatMessage): Promise<void> {
    await this.transaction('rw', this.threads, this.messages, async () => {
      await this.messages.put(message);
      await this.threads.update(message.threadId, { updatedAt: message.createdAt });
    });
  }

  async deleteThread(id: string): Promise<void> {
    await this.transaction('rw', this.threads, this.messages, async () => {
      await this.messages.where('threadId').equals(id).delete();
      await this.threads.delete(id);
    });
  }
}

let db: ChatHistory | null = null;

export function chatHistory(): ChatHistory {
  return (db ??= new ChatHistory());
}

/** Tests: drop the open database so the next call opens a fresh one. */
export async function resetChatHistory(): Promise<void> {
  const old = db;
  db = null;
  if (old) {
    old.close();
    await old.delete();
  }
}

/** A thread as Markdown: each question, its answer, and the pages the answer cites. */
export function threadMarkdown(thread: ChatThread, messages: ChatMessage[]): string {
  const lines = [`# ${thread.title}`, '', `_Engram chat, started ${thread.createdAt}_`, ''];
  for (const m of messages) {
    if (m.role === 'user') {
      lines.push(`## ${m.text}`, '');
      continue;
    }
    lines.push(m.error ? `${m.text ? `${m.text}\n\n` : ''}> Failed: ${m.error}` : m.text, '');
    if (m.citations?.length) {
      lines.push('Sources:', '');
      for (const c of m.citations) lines.push(`- ${c.name}, page ${c.page} of ${c.pages} (${c.level}, ${c.tokens} tokens; remembered ${c.createdAt}) — \`${c.source}\``);
      lines.push('');
    } else if (m.nothingRemembered) {
      lines.push('_Nothing remembered about that: no sources._', '');
    }
  }
  return lines.join('\n');
}
