import { type FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import type { AlertEvent } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { ActionButton } from '../ui/ActionButton.tsx';
import { FieldProblem, GeneralProblem, SelectField, TextField, useFormProblem } from '../ui/form.tsx';
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

const choicesOf = (list: Named[]) => list.map((x) => ({ value: x.id, label: x.name }));
const eventChoices = Object.entries(alertEvents).map(([value, { words }]) => ({ value, label: words }));

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
            <ActionButton danger run={() => deleteRule({ id: r.id })} onDone={onChange}>
              Remove rule
            </ActionButton>
          </li>
        ))}
      </ul>
      <ProblemMessage error={removed.error} />
      {channels.length === 0 ? (
        <p className="help">Add a channel first: a rule says which channel is told.</p>
      ) : (
        <form onSubmit={submit} aria-label="Add a rule" className="inline-form">
          <SelectField
            id="rule-event"
            label="When"
            value={event}
            onChange={(v) => setEvent(v as AlertEvent)}
            choices={eventChoices}
          />
          {takes && (
            <TextField
              id="rule-threshold"
              label={takes === 'percent' ? 'Share (%)' : 'Minutes'}
              type="number"
              min={1}
              max={takes === 'percent' ? 100 : undefined}
              required
              value={threshold}
              onChange={setThreshold}
              after={<FieldProblem id="rule-threshold-error" message={problem.of('rule-threshold')} />}
            />
          )}
          {!refreshLevel && (
            <SelectField
              id="rule-export"
              label="Of"
              value={exportId}
              onChange={setExportId}
              placeholder="any export"
              choices={choicesOf(exports)}
            />
          )}
          <SelectField
            id="rule-channel"
            label="Tell"
            required
            value={channelId}
            onChange={setChannelId}
            placeholder="Choose a channel"
            choices={choicesOf(channels)}
          />
          <button type="submit" disabled={created.fetching}>
            Add rule
          </button>
        </form>
      )}
      <GeneralProblem sentence={problem.general} />
    </section>
  );
}
