// Forgetting's knobs: the bank budget (with what is used now), the chat's context budget, the recency half-life,
// and "Forget now", which runs a pass at once and shows what it faded, merged or dropped.
import type { ForgetReport } from '../../../electron/contract';
import { formatCount } from '../../components/format';
import { Icon } from '../../components/Icon';
import { NumberField } from '../../components/NumberField';
import { ProgressBar } from '../../components/ProgressBar';
import { useStore } from '../../store';

export function ForgettingSettings() {
  const settings = useStore((s) => s.settings);
  const used = useStore((s) => s.stats?.tokens ?? null);
  const save = useStore((s) => s.saveSettings);
  const report = useStore((s) => s.forgetReport);
  const forgetting = useStore((s) => s.forgetting);
  const budget = settings?.bankBudgetTokens;

  return (
    <>
      <section className="setting" aria-labelledby="budget-label">
        <label className="setting__title" id="budget-label" htmlFor="bank-budget">
          Bank budget
        </label>
        <p className="setting__hint">The most vision tokens the bank keeps. Over it, the least important pages fade first.</p>
        <NumberField id="bank-budget" value={budget} min={1} max={1_000_000_000} unit="tokens" onCommit={(v) => void save({ bankBudgetTokens: v })} testId="bank-budget" />
        {budget && used !== null ? (
          <div className="budget-meter" data-testid="budget-used">
            <ProgressBar value={used / budget} label="Bank tokens used of the budget" tone={used > budget ? 'bad' : 'accent'} size="sm" />
            <span>
              {formatCount(used)} of {formatCount(budget)} used ({Math.round((used / budget) * 1000) / 10}%)
            </span>
          </div>
        ) : null}
      </section>

      <section className="setting">
        <label className="setting__title" htmlFor="context-budget">
          Chat context budget
        </label>
        <p className="setting__hint">How many vision tokens one answer may read from memory.</p>
        <NumberField id="context-budget" value={settings?.contextBudgetTokens} min={1} max={100_000} unit="tokens" onCommit={(v) => void save({ contextBudgetTokens: v })} testId="context-budget" />
      </section>

      <section className="setting">
        <label className="setting__title" htmlFor="half-life">
          Recency half-life
        </label>
        <p className="setting__hint">A page’s recency halves every this many days since it was made or last used.</p>
        <NumberField id="half-life" value={settings?.halfLifeDays} min={0.1} max={36_500} step={1} integer={false} unit="days" onCommit={(v) => void save({ halfLifeDays: v })} testId="half-life" />
      </section>

      <section className="setting">
        <div className="setting--row">
          <div>
            <h3 className="setting__title">Forget now</h3>
            <p className="setting__hint">Run a forgetting pass now instead of waiting for the next one.</p>
          </div>
          <button type="button" className="btn btn--secondary" onClick={() => void useStore.getState().runForget()} disabled={forgetting || !settings} data-testid="forget-now">
            <Icon name="forget" size={16} /> {forgetting ? 'Forgetting…' : 'Forget now'}
          </button>
        </div>
        {report ? <ForgetResult report={report} /> : null}
      </section>
    </>
  );
}

function ForgetResult({ report }: { report: ForgetReport }) {
  const count = (t: string) => report.events.filter((e) => e.type === t).length;
  const saved = report.before.tokens - report.after.tokens;
  return (
    <div className="forget-result" role="status" data-testid="forget-result">
      <p className="forget-result__line">
        {formatCount(report.before.tokens)} → <strong>{formatCount(report.after.tokens)}</strong> tokens · {report.before.memories} → <strong>{report.after.memories}</strong> memories
      </p>
      <p className="forget-result__line muted">
        {report.events.length === 0
          ? 'Nothing needed forgetting: every page is where its score puts it, under budget.'
          : `${count('faded')} faded · ${count('merged')} merged · ${count('dropped')} dropped · ${formatCount(saved)} tokens freed`}
      </p>
      {report.warning ? <p className="callout callout--warn">{report.warning}</p> : null}
      {report.events.length ? (
        <ul className="forget-result__events">
          {report.events.slice(0, 6).map((e, i) => (
            <li key={i}>
              {e.type} {e.source.split(/[\\/]/).pop()} p.{e.page}: {e.from} → {e.to ?? 'gone'} <span className="muted">({e.reason})</span>
            </li>
          ))}
          {report.events.length > 6 ? <li className="muted">…and {report.events.length - 6} more</li> : null}
        </ul>
      ) : null}
    </div>
  );
}
