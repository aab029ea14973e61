// The chat sidebar's state: threads and messages from IndexedDB, the answer being streamed, and asking.
// An answer streams in through `chat.delta` events (matched by our own askId) and is saved when `chat.ask` replies.
import type { ChatAnswer, ChatSettings, RouteInput } from '../../electron/contract';
import { getClient } from '../api/client';
import { chatHistory, type ChatMessage, type ChatThread } from './chatHistory';
import type { Slice } from './types';

export interface Streaming {
  askId: string;
  threadId: string;
  text: string;
}

export interface ChatSlice {
  chatOpen: boolean;
  threads: ChatThread[];
  threadId: string | null;
  messages: ChatMessage[];
  streaming: Streaming | null;
  chatLoaded: boolean;
  /** How answers are made (extractive by default; a local server or a large ONNX answerer are opt-in). */
  chatSettings: ChatSettings | null;
  loadChatSettings(): Promise<void>;
  saveChatSettings(patch: RouteInput<'chat.setSettings'>): Promise<boolean>;
  toggleChat(open?: boolean): void;
  /** Loads the thread list and opens the newest thread. */
  loadChat(): Promise<void>;
  openThread(id: string): Promise<void>;
  /** Starts an empty conversation; the thread is saved with its first question. */
  newThread(): void;
  deleteThread(id: string): Promise<void>;
  ask(question: string): Promise<void>;
  applyChatDelta(askId: string, text: string): void;
}

const newId = () => crypto.randomUUID();
const titleOf = (question: string) => (question.length > 60 ? `${question.slice(0, 57).trimEnd()}…` : question);
/** Strictly after `prev`, so a thread's messages sort in the order they were written even within one millisecond. */
const after = (prev: string) => new Date(Math.max(Date.now(), Date.parse(prev) + 1)).toISOString();

export const createChatSlice: Slice<ChatSlice> = (set, get) => {
  const save = async (message: ChatMessage) => {
    try {
      await chatHistory().addMessage(message);
    } catch (err) {
      get().fail('Could not save the chat', err);
    }
    if (get().threadId === message.threadId) set({ messages: [...get().messages.filter((m) => m.id !== message.id), message] });
    set({ threads: await chatHistory().listThreads().catch(() => get().threads) });
  };

  return {
    chatOpen: false,
    threads: [],
    threadId: null,
    messages: [],
    streaming: null,
    chatLoaded: false,
    chatSettings: null,
    async loadChatSettings() {
      try {
        set({ chatSettings: await getClient().call('chat.getSettings', {}) });
      } catch (err) {
        get().fail('Could not read the chat settings', err);
      }
    },
    async saveChatSettings(patch) {
      try {
        set({ chatSettings: await getClient().call('chat.setSettings', patch) });
        return true;
      } catch (err) {
        get().fail('Could not save the chat settings', err);
        return false;
      }
    },
    toggleChat: (open) => {
      const next = open ?? !get().chatOpen;
      set({ chatOpen: next });
      if (next && !get().chatLoaded) void get().loadChat();
    },
    async loadChat() {
      try {
        const threads = await chatHistory().listThreads();
        set({ threads, chatLoaded: true });
        if (!get().threadId && threads[0]) await get().openThread(threads[0].id);
      } catch (err) {
        set({ chatLoaded: true });
        get().fail('Could not read the chat history', err);
      }
    },
    async openThread(id) {
      set({ threadId: id, messages: [] });
      try {
        const messages = await chatHistory().listMessages(id);
        if (get().threadId === id) set({ messages });
      } catch (err) {
        get().fail('Could not read the thread', err);
      }
    },
    newThread: () => set({ threadId: null, messages: [] }),
    async deleteThread(id) {
      try {
        await chatHistory().deleteThread(id);
      } catch (err) {
        get().fail('Could not delete the thread', err);
      }
      const threads = get().threads.filter((t) => t.id !== id);
      set({ threads, ...(get().threadId === id ? { threadId: null, messages: [] } : {}) });
    },
    async ask(raw) {
      const question = raw.trim();
      if (!question || get().streaming) return;
      let threadId = get().threadId;
      const asked = new Date().toISOString();
      if (!threadId) {
        const thread: ChatThread = { id: newId(), title: titleOf(question), createdAt: asked, updatedAt: asked };
        threadId = thread.id;
        set({ threadId, messages: [], threads: [thread, ...get().threads] });
        try {
          await chatHistory().threads.put(thread);
        } catch (err) {
          get().fail('Could not save the chat', err);
        }
      }
      await save({ id: newId(), threadId, role: 'user', text: question, createdAt: asked });
      const askId = newId().replace(/-/g, '').slice(0, 24);
      set({ streaming: { askId, threadId, text: '' } });
      let reply: ChatMessage;
      try {
        const a: ChatAnswer = await getClient().call('chat.ask', { question, askId });
        reply = {
          id: newId(), threadId, role: 'assistant', text: a.answer, createdAt: after(asked), citations: a.citations, nothingRemembered: a.nothingRemembered,
          answerer: a.answerer, contextTokens: a.contextTokens, budgetTokens: a.budgetTokens, firstTokenMs: a.firstTokenMs, totalMs: a.totalMs, notes: a.notes,
        };
      } catch (err) {
        const partial = get().streaming?.askId === askId ? get().streaming!.text : '';
        reply = { id: newId(), threadId, role: 'assistant', text: partial, createdAt: after(asked), citations: [], error: err instanceof Error ? err.message : String(err) };
      }
      set({ streaming: null });
      await save(reply);
    },
    applyChatDelta(askId, text) {
      const s = get().streaming;
      if (s?.askId === askId) set({ streaming: { ...s, text: s.text + text } });
    },
  };
};
