import { type FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import type { AlertEvent } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { FieldProblem, GeneralProblem, useFormProblem } from '../ui/form.tsx';
import { ProblemMessage } from '../ui/Problem.tsx';
import { alertEvents } from './alert-events.ts';

const CreateRule = graphql(`
  mutation CreateAlertRule($input: CreateAlertRuleInput!) {
    createAlertRule(input: $input) {
      id
    }
  }
`);

const DeleteRule = graphql(`
  mutation DeleteAlertRule($id: ID!) {
    deleteAlertRule(id: $id)
  }
`);

type Rule = {
  id: string;
  event: AlertEvent;
  channelId: string;
  exportId?: string | null;
  thresholdPercent?: number | null;
  thresholdMinutes?: number | null;
};
type Named = { id: string; name: string };

export function AlertRules({
  rules,
  channels,
  exports,
  onChange,
}: {
  rules: Rule[];
  channels: Named[];
  exports: Named[];
  onChange: () => void;
}) {
  const [created, createRule] = useMutation(CreateRule);
  const [removed, deleteRule] = useMutation(DeleteRule);
  const [event, setEvent] = useState<AlertEvent>('RUN_FAILED');
  const [channelId, setChannelId] = useState('');
  const [exportId, setExportId] = useState('');
  const [threshold, setThreshold] = useState('');
  const takes = alertEvents[event].threshold;
  const refreshLevel = alertEvents[event].refreshLevel === true;
  const problem = useFormProblem(created.error, {
    event: 'rule-event',
    channelId: 'rule-channel',
    exportId: 'rule-export',
    thresholdPercent: 'rule-threshold',
    thresholdMinutes: 'rule-threshold',
  });
  const nameOf = (list: Named[], id: string | null | undefined) => list.find((x) => x.id === id)?.name;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await createRule({
      input: {
        event,
        channelId,
        exportId: refreshLevel ? null : exportId || null,
        ...(takes === 'percent' && { thresholdPercent: Number(threshold) }),
        ...(takes === 'minutes' && { thresholdMinutes: Number(threshold) }),
      },
    });
    if (result.data) onChange();
  };
  return (
    <section className="panel" aria-labelledby="rules-title">
      <h2 id="rules-title">Rules</h2>
      {rules.length === 0 && <p className="empty">No rules yet.</p>}
      <ul className="plain">
        {rules.map((r) => (
          <li key={r.id}>
            {alertEvents[r.event].words}
            {r.thresholdPercent != null && ` (${r.thresholdPercent} %)`}
            {r.thresholdMinutes != null && ` (${r.thresholdMinutes} min)`} —{' '}
            {alertEvents[r.event].refreshLevel
              ? 'refreshes and syncs'
              : r.exportId
                ? `export “${nameOf(exports, r.exportId) ?? 'removed'}”`
                : 'any export'}{' '}
            → channel “{nameOf(channels, r.channelId) ?? 'removed'}”{' '}
            <button
              type="button"
              className="danger"
              onClick={async () => {
                const result = await deleteRule({ id: r.id });
                if (!result.error) onChange();
              }}
            >
              Remove rule
            </button>
          </li>
        ))}
      </ul>
      <ProblemMessage error={removed.error} />
      {channels.length === 0 ? (
        <p className="help">Add a channel first: a rule says which channel is told.</p>
      ) : (
        <form onSubmit={submit} aria-label="Add a rule" className="inline-form">
          <div className="field">
            <label htmlFor="rule-event">When</label>
            <select id="rule-event" value={event} onChange={(e) => setEvent(e.target.value as AlertEvent)}>
              {Object.entries(alertEvents).map(([value, { words }]) => (
                <option key={value} value={value}>
                  {words}
                </option>
              ))}
            </select>
          </div>
          {takes && (
            <div className="field">
              <label htmlFor="rule-threshold">{takes === 'percent' ? 'Share (%)' : 'Minutes'}</label>
              <input
                id="rule-threshold"
                type="number"
                min={1}
                max={takes === 'percent' ? 100 : undefined}
                required
                value={threshold}
                onChange={(e) => setThreshold(e.target.value)}
              />
              <FieldProblem id="rule-threshold-error" message={problem.of('rule-threshold')} />
            </div>
          )}
          {!refreshLevel && (
            <div className="field">
              <label htmlFor="rule-export">Of</label>
              <select id="rule-export" value={exportId} onChange={(e) => setExportId(e.target.value)}>
                <option value="">any export</option>
                {exports.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="field">
            <label htmlFor="rule-channel">Tell</label>
            <select
              id="rule-channel"
              required
              value={channelId}
              onChange={(e) => setChannelId(e.target.value)}
            >
              <option value="">Choose a channel</option>
              {channels.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" disabled={created.fetching}>
            Add rule
          </button>
        </form>
      )}
      <GeneralProblem sentence={problem.general} />
    </section>
  );
}
