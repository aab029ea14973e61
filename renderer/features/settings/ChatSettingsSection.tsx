// How chat answers: the built-in extractive answerer (default), a local OpenAI-compatible server (Ollama, llama.cpp,
// LM Studio) that receives the decoded text of the pages it reads, or a large ONNX answerer pack. Off-machine never.
import { useEffect, useState } from 'react';
import type { ChatSettings } from '../../../electron/contract';
import { NumberField } from '../../components/NumberField';
import { useStore } from '../../store';

const ANSWERERS: Record<ChatSettings['answerer'], { name: string; hint: string }> = {
  extractive: { name: 'Built in', hint: 'Finds the answer in the pages it read' },
  openai: { name: 'Local server', hint: 'Ollama, llama.cpp, LM Studio' },
  onnx: { name: 'ONNX pack', hint: 'A large answerer on this machine' },
};

function TextSetting({ id, label, value, placeholder, onCommit, type = 'text' }: { id: string; label: string; value: string; placeholder?: string; onCommit(v: string): void; type?: string }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const commit = () => text.trim() !== value && onCommit(text.trim());
  return (
    <div className="subsetting">
      <label className="subsetting__title" htmlFor={id}>
        {label}
      </label>
      <input id={id} className="input input--wide" type={type} value={text} placeholder={placeholder} spellCheck={false} autoComplete="off" onChange={(e) => setText(e.currentTarget.value)} onBlur={commit} onKeyDown={(e) => e.key === 'Enter' && commit()} />
    </div>
  );
}

export function ChatSettingsSection() {
  const cs = useStore((s) => s.chatSettings);
  const save = useStore((s) => s.saveChatSettings);
  return (
    <section className="setting" aria-labelledby="answerer-label" data-testid="chat-settings">
      <h3 className="setting__title" id="answerer-label">
        Answers
      </h3>
      <p className="setting__hint">What writes chat answers from the pages Engram reads back. Nothing is sent off this machine.</p>
      <div className="segmented segmented--3" role="radiogroup" aria-labelledby="answerer-label">
        {(Object.keys(ANSWERERS) as ChatSettings['answerer'][]).map((a) => (
          <button key={a} type="button" role="radio" aria-checked={cs?.answerer === a} className={`segmented__item${cs?.answerer === a ? ' is-on' : ''}`} onClick={() => void save({ answerer: a })} disabled={!cs} title={ANSWERERS[a].hint}>
            <span className="segmented__name">{ANSWERERS[a].name}</span>
            <span className="segmented__sub">{ANSWERERS[a].hint}</span>
          </button>
        ))}
      </div>
      {cs?.answerer === 'openai' ? (
        <>
          <TextSetting id="openai-url" label="Server address" value={cs.openai.baseUrl} placeholder="http://127.0.0.1:11434/v1" onCommit={(v) => void save({ openai: { baseUrl: v } })} />
          <TextSetting id="openai-model" label="Model" value={cs.openai.model} placeholder="llama3.2" onCommit={(v) => v && void save({ openai: { model: v } })} />
          <TextSetting id="openai-key" label="API key (if the server wants one)" type="password" value={cs.openai.apiKey ?? ''} onCommit={(v) => void save({ openai: { apiKey: v || null } })} />
          <p className="setting__hint">The server receives the decoded text of the pages an answer reads.</p>
        </>
      ) : null}
      {cs?.answerer === 'onnx' ? <TextSetting id="onnx-pack" label="Answerer pack folder" value={cs.onnxPackDir ?? ''} placeholder="/path/to/pack" onCommit={(v) => void save({ onnxPackDir: v || null })} /> : null}
      <div className="subsetting">
        <label className="subsetting__title" htmlFor="min-relevance">
          Least relevance to use a page
        </label>
        <NumberField id="min-relevance" value={cs?.minRelevance} min={0} max={1} step={0.05} integer={false} onCommit={(v) => void save({ minRelevance: v })} />
      </div>
    </section>
  );
}
