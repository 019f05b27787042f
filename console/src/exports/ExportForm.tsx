import { useState } from 'react';
import { useQuery } from 'urql';
import { inputLimits } from '../../../core/input-limits.ts';
import type { ExportsQuery, OnLeavePolicy } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { ResultsTargetPicker } from '../results-targets/ResultsTargetPicker.tsx';
import { may, useViewer } from '../shell/viewer.ts';
import { AccountUnreadable } from '../ui/AccountUnreadable.tsx';
import { EditorForm } from '../ui/EditorForm.tsx';
import {
  CheckboxField,
  type Choice,
  FieldProblem,
  RadioGroup,
  SelectField,
  TextField,
  useFormProblem,
} from '../ui/form.tsx';
import { ProblemMessage } from '../ui/Problem.tsx';
import { useSave } from '../ui/use-save.ts';
import { AccountFields } from './account-fields.ts';
import { FieldPicker } from './pickers/FieldPicker.tsx';
import { ListPicker } from './pickers/ListPicker.tsx';
import { TagsInput } from './pickers/TagsInput.tsx';

const ExportChoices = graphql(`
  query ExportChoices {
    connections(first: 100) {
      nodes {
        id
        displayName
        canUse
      }
    }
    segments(first: 100) {
      nodes {
        id
        name
        memberCount
      }
    }
    profileAttributes
  }
`);

const CreateExport = graphql(`
  mutation CreateExport($input: CreateExportInput!) {
    createExport(input: $input) {
      id
      name
    }
  }
`);

const UpdateExport = graphql(`
  mutation UpdateExport($id: ID!, $input: UpdateExportInput!) {
    updateExport(id: $id, input: $input) {
      id
      name
      enabled
    }
  }
`);

type FieldRow = { attribute: string; fieldId: string };
export type ExistingExport = ExportsQuery['exports']['nodes'][number];

/** Where each field the API may name (extensions.field) sits in the form. */
const inputOfField = {
  name: 'export-name',
  connectionId: 'export-connection',
  listId: 'export-list',
  segmentIds: 'export-segment-0',
  mapping: 'map-email',
  tags: 'export-tag',
  resultsTargetId: 'export-results-target',
};

const onLeaveChoices: Array<Choice<OnLeavePolicy>> = [
  { value: 'KEEP', label: 'Keep them on the list' },
  { value: 'UNSUBSCRIBE', label: 'Unsubscribe them from the list (nobody is ever re-subscribed)' },
  { value: 'REMOVE_TAGS', label: 'Remove the export’s tags from them (they stay subscribed to the list)' },
];

/** A new export, or one being changed (all its fields); saving never runs it. */
export function ExportForm({
  existing,
  onDone,
}: {
  existing?: ExistingExport;
  onDone: (message?: string) => void;
}) {
  const viewer = useViewer();
  const [{ data, error }] = useQuery({ query: ExportChoices });
  const save = useSave(Boolean(existing), CreateExport, UpdateExport);
  const stranded = existing?.connection.removed ?? false;
  const [name, setName] = useState(existing?.name ?? '');
  const [connectionId, setConnectionId] = useState(stranded ? '' : (existing?.connection.id ?? ''));
  const [listId, setListId] = useState(stranded ? '' : (existing?.listId ?? ''));
  const [segmentIds, setSegmentIds] = useState<string[]>(existing?.segments.map((s) => s.id) ?? []);
  const [email, setEmail] = useState(existing?.mapping.email ?? '');
  const [firstName, setFirstName] = useState(existing?.mapping.firstName ?? '');
  const [lastName, setLastName] = useState(existing?.mapping.lastName ?? '');
  const [phone, setPhone] = useState(existing?.mapping.phone ?? '');
  const [fields, setFields] = useState<FieldRow[]>(
    existing?.mapping.fields.map((f) => ({ attribute: f.attribute, fieldId: stranded ? '' : f.fieldId })) ??
      [],
  );
  const [onLeave, setOnLeave] = useState<OnLeavePolicy>(existing?.onLeave ?? 'KEEP');
  const [tags, setTags] = useState<string[]>(existing?.tags ?? []);
  const [excludeAutomations, setExcludeAutomations] = useState(existing?.excludeAutomations ?? false);
  const [enabled, setEnabled] = useState(stranded ? true : (existing?.enabled ?? true));
  const [resultsTargetId, setResultsTargetId] = useState(existing?.resultsTargetId ?? '');
  const [emptyConfirmed, setEmptyConfirmed] = useState(false);
  const [emptyWarned, setEmptyWarned] = useState(false);
  const problem = useFormProblem(save.error, inputOfField);
  const [account] = useQuery({
    query: AccountFields,
    variables: { connectionId },
    pause: !connectionId || fields.length === 0,
  });
  const accountFields = account.data?.connection.fields ?? [];
  const usable = (data?.connections.nodes ?? []).filter((c) => c.canUse);
  const attributes = data?.profileAttributes ?? [];
  const segments = data?.segments.nodes ?? [];

  const chosenMembers = segments
    .filter((s) => segmentIds.includes(s.id))
    .reduce((sum, s) => sum + s.memberCount, 0);
  const sendsNobody = data != null && segmentIds.length > 0 && chosenMembers === 0;

  const submit = async () => {
    if (sendsNobody && !emptyConfirmed) {
      setEmptyWarned(true);
      setTimeout(() => document.getElementById('export-empty-confirm')?.focus());
      return;
    }
    const input = {
      name,
      connectionId,
      listId,
      segmentIds,
      onLeave,
      tags,
      excludeAutomations,
      enabled,
      mapping: {
        email,
        firstName: firstName || null,
        lastName: lastName || null,
        phone: phone || null,
        fields: fields.filter((f) => f.attribute && f.fieldId),
      },
      // Only admins name a results target: the API refuses the field from anyone else.
      ...(may.administer(viewer) && { resultsTargetId: resultsTargetId || null }),
    };
    if (existing) {
      const result = await save.update({ id: existing.id, input });
      if (result.data)
        onDone(
          `Export “${result.data.updateExport.name}” saved${result.data.updateExport.enabled ? '' : ' (disabled: it does not run)'}.`,
        );
      return;
    }
    const result = await save.create({ input });
    if (result.data)
      onDone(`Export “${result.data.createExport.name}” saved. It has not run: preview it or run it now.`);
  };
  const title = existing ? `Edit export “${existing.name}”` : 'New export';

  const attributeChoices = attributes.map((a) => ({ value: a, label: a }));
  const attributeSelect = (
    id: string,
    label: string,
    value: string,
    set: (v: string) => void,
    required = false,
  ) => (
    <SelectField
      id={id}
      label={label}
      required={required}
      value={value}
      onChange={set}
      placeholder={required ? 'Choose an attribute' : '— not exported —'}
      choices={attributeChoices}
    />
  );

  return (
    <EditorForm
      title={title}
      onSubmit={submit}
      onCancel={() => onDone()}
      saveLabel="Save"
      saving={save.saving}
      problem={problem.general}
      footnote="Saving never runs the export."
    >
      <ProblemMessage error={error} />
      {stranded && (
        <p className="warning">
          Its connection “{existing?.connection.displayName}” was removed: choose another connection and its
          list.
        </p>
      )}
      <TextField
        id="export-name"
        autoFocus
        label="Name"
        required
        limit={inputLimits.exportName}
        value={name}
        onChange={setName}
        error={problem.of('export-name')}
      />
      <SelectField
        id="export-connection"
        label="Connection"
        required
        value={connectionId}
        onChange={(id) => {
          setConnectionId(id);
          setListId('');
          setFields(fields.map((f) => ({ ...f, fieldId: '' })));
        }}
        placeholder="Choose a connection"
        choices={usable.map((c) => ({ value: c.id, label: c.displayName }))}
        after={
          <>
            {data && usable.length === 0 && (
              <p className="help">No connection you may use: an administrator adds them.</p>
            )}
            <FieldProblem id="export-connection-error" message={problem.of('export-connection')} />
          </>
        }
      />
      <ListPicker connectionId={connectionId} value={listId} onChange={setListId} />
      <FieldProblem id="export-list-error" message={problem.of('export-list')} />
      <fieldset>
        <legend>Segments</legend>
        {segments.length === 0 && <p className="help">No segments yet.</p>}
        {segments.map((s, i) => (
          <label key={s.id}>
            <input
              id={`export-segment-${i}`}
              type="checkbox"
              checked={segmentIds.includes(s.id)}
              onChange={(e) =>
                setSegmentIds(
                  e.target.checked ? [...segmentIds, s.id] : segmentIds.filter((id) => id !== s.id),
                )
              }
            />
            {s.name} <span className="muted">({s.memberCount.toLocaleString()} members)</span>
          </label>
        ))}
        <FieldProblem id="export-segment-0-error" message={problem.of('export-segment-0')} />
        {sendsNobody && (
          <p className="warning">
            {segmentIds.length === 1 ? 'This segment has' : 'These segments have'} no members at their last
            refresh: the export would send nobody.
          </p>
        )}
      </fieldset>
      <fieldset>
        <legend>Data matching</legend>
        <p className="help">
          Which profile attribute fills each ActiveCampaign contact field. Email is required.
        </p>
        {attributeSelect('map-email', 'Email', email, setEmail, true)}
        <FieldProblem id="map-email-error" message={problem.of('map-email')} />
        {attributeSelect('map-first-name', 'First name', firstName, setFirstName)}
        {attributeSelect('map-last-name', 'Last name', lastName, setLastName)}
        {attributeSelect('map-phone', 'Phone', phone, setPhone)}
        {fields.map((f, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own
          <div className="field-row" key={i}>
            <select
              aria-label={`Custom field ${i + 1}: attribute`}
              value={f.attribute}
              required
              onChange={(e) =>
                setFields(fields.map((r, j) => (j === i ? { ...r, attribute: e.target.value } : r)))
              }
            >
              <option value="">Choose an attribute</option>
              {attributeChoices.map((a) => (
                <option key={a.value} value={a.value}>
                  {a.label}
                </option>
              ))}
            </select>
            <span aria-hidden="true">→</span>
            <FieldPicker
              id={`map-field-${i}`}
              label={`Custom field ${i + 1}: ActiveCampaign field`}
              value={f.fieldId}
              fields={accountFields}
              onChange={(fieldId) => setFields(fields.map((r, j) => (j === i ? { ...r, fieldId } : r)))}
            />
            <button type="button" onClick={() => setFields(fields.filter((_, j) => j !== i))}>
              Remove field {i + 1}
            </button>
          </div>
        ))}
        {account.error && <AccountUnreadable error={account.error} what="custom fields" />}
        {account.data && accountFields.length === 0 && (
          <p className="help">The account has no custom fields (ActiveCampaign › Contacts › Fields).</p>
        )}
        <button
          type="button"
          disabled={!connectionId}
          onClick={() => setFields([...fields, { attribute: '', fieldId: '' }])}
        >
          Add a custom field
        </button>
        {!connectionId && <p className="help">Choose a connection to map its custom fields.</p>}
      </fieldset>
      <TagsInput connectionId={connectionId} value={tags} onChange={setTags} />
      <FieldProblem id="export-tag-error" message={problem.of('export-tag')} />
      <RadioGroup
        legend="When someone leaves the segments"
        name="on-leave"
        value={onLeave}
        onChange={setOnLeave}
        choices={onLeaveChoices}
      >
        {onLeave === 'REMOVE_TAGS' && tags.length === 0 && (
          <p className="help">Add tags above: without them there is nothing to remove.</p>
        )}
      </RadioGroup>
      <CheckboxField
        label="Exclude automations"
        checked={excludeAutomations}
        onChange={setExcludeAutomations}
        helpId="export-automations-help"
        help="Contacts this export imports do not start the account’s automations (such as a welcome series)."
      />
      {may.administer(viewer) && (
        <ResultsTargetPicker value={resultsTargetId} onChange={setResultsTargetId} />
      )}
      <FieldProblem id="export-results-target-error" message={problem.of('export-results-target')} />
      <CheckboxField
        label="Enabled: runs after every scheduled refresh"
        checked={enabled}
        onChange={setEnabled}
      />
      {sendsNobody && emptyWarned && (
        <div className="warning" role="alert">
          <label>
            <input
              id="export-empty-confirm"
              type="checkbox"
              checked={emptyConfirmed}
              onChange={(e) => setEmptyConfirmed(e.target.checked)}
            />
            Save all the same: its segments have 0 members, the export sends nobody for now
          </label>
        </div>
      )}
    </EditorForm>
  );
}
