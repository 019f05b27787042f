import { useState } from 'react';
import { useQuery } from 'urql';
import { inputLimits } from '../../../core/input-limits.ts';
import { graphql } from '../gql/index.ts';
import { ProfileAttributes } from '../profiles/attributes.ts';
import { EditorForm } from '../ui/EditorForm.tsx';
import { problemOf } from '../ui/errors.ts';
import { TextField, useForm } from '../ui/form.tsx';
import { useDebounced } from '../ui/use-debounced.ts';
import { useSave } from '../ui/use-save.ts';
import { RuleBuilder } from './RuleBuilder.tsx';
import { type Draft, draftOf, ruleOf } from './rule.ts';

const PreviewSegment = graphql(`
  query PreviewSegment($rule: JSON!) {
    previewSegment(rule: $rule) {
      memberCount
    }
  }
`);

const CreateSegment = graphql(`
  mutation CreateSegment($input: CreateSegmentInput!) {
    createSegment(input: $input) {
      ...SegmentFields
    }
  }
`);

const UpdateSegment = graphql(`
  mutation UpdateSegment($id: ID!, $input: UpdateSegmentInput!) {
    updateSegment(id: $id, input: $input) {
      ...SegmentFields
    }
  }
`);

export type EditedSegment = { id: string; name: string; rule: unknown };

/** A new segment, or one being changed: name and rule, with the count of members the rule has now. */
export function SegmentForm({
  segment,
  onDone,
}: {
  segment?: EditedSegment;
  onDone: (message?: string) => void;
}) {
  const [attributes] = useQuery({ query: ProfileAttributes });
  const save = useSave(Boolean(segment), CreateSegment, UpdateSegment);
  const initial = segment
    ? draftOf(segment.rule)
    : { match: 'all' as const, conditions: [{ attribute: '', op: 'EQ' as const, value: '' }] };
  const [draft, setDraft] = useState<Draft | null>(initial);
  const [json, setJson] = useState(initial ? '' : JSON.stringify(segment?.rule, null, 2));
  const [jsonProblem, setJsonProblem] = useState('');
  const parsedJson = () => {
    try {
      return JSON.parse(json) as unknown;
    } catch {
      return undefined;
    }
  };
  const rule = draft ? ruleOf(draft) : parsedJson();
  const complete = draft ? draft.conditions.every((c) => c.attribute.trim()) : rule !== undefined;
  const previewRule = useDebounced(complete ? JSON.stringify(rule) : '', 400);
  const [preview] = useQuery({
    query: PreviewSegment,
    variables: { rule: previewRule ? JSON.parse(previewRule) : null },
    pause: !previewRule,
    requestPolicy: 'network-only',
  });
  const firstConditionField = draft ? 'rule-0-attribute' : 'segment-rule-json';
  const form = useForm(
    { name: segment?.name ?? '' },
    { name: 'segment-name', all: firstConditionField, any: firstConditionField, rule: firstConditionField },
    save.error,
  );
  const { name } = form.values;
  const saveProblem = save.error ? problemOf(save.error) : undefined;
  const ruleProblem = saveProblem?.field && saveProblem.field !== 'name' ? saveProblem.sentence : undefined;

  const submit = async () => {
    if (rule === undefined) {
      setJsonProblem('This is not valid JSON.');
      document.getElementById('segment-rule-json')?.focus();
      return;
    }
    setJsonProblem('');
    const saved = segment
      ? (await save.update({ id: segment.id, input: { name, rule } })).data?.updateSegment
      : (await save.create({ input: { name, rule } })).data?.createSegment;
    if (saved) onDone(`Segment “${saved.name}” saved: ${saved.memberCount.toLocaleString()} members.`);
  };

  const title = segment ? `Edit segment “${segment.name}”` : 'New segment';
  return (
    <EditorForm
      title={title}
      onSubmit={submit}
      onCancel={() => onDone()}
      saveLabel="Save segment"
      saving={save.saving}
      problem={ruleProblem ? undefined : form.problem.general}
      footnote="Saving counts the members at once; exports send them at their next run."
    >
      <TextField {...form.text('name')} autoFocus label="Name" required limit={inputLimits.segmentName} />
      {draft ? (
        <RuleBuilder
          draft={draft}
          onChange={setDraft}
          attributes={attributes.data?.profileAttributes ?? []}
        />
      ) : (
        <div className="field">
          <label htmlFor="segment-rule-json">Rule (JSON)</label>
          <textarea
            id="segment-rule-json"
            rows={8}
            value={json}
            onChange={(e) => setJson(e.target.value)}
            aria-describedby="segment-rule-json-help"
          />
          <p id="segment-rule-json-help" className="help">
            This rule nests groups or lists customer ids, which the builder does not show: it is edited as
            JSON.
          </p>
          {jsonProblem && (
            <p role="alert" className="problem">
              {jsonProblem}
            </p>
          )}
        </div>
      )}
      {ruleProblem && (
        <p role="alert" className="problem">
          The rule: {ruleProblem}
        </p>
      )}
      <p role="status" className="member-preview" data-testid="member-preview">
        {!previewRule
          ? 'Complete the conditions to see how many profiles match.'
          : preview.fetching
            ? 'Counting the members…'
            : preview.error
              ? `Not counted: ${problemOf(preview.error).sentence}`
              : preview.data
                ? `${preview.data.previewSegment.memberCount.toLocaleString()} profiles match now.`
                : ''}
      </p>
      {preview.data?.previewSegment.memberCount === 0 && (
        <p className="warning">No profile matches this rule: an export of it would send nobody.</p>
      )}
    </EditorForm>
  );
}
