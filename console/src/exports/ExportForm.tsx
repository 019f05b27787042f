import { type FormEvent, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import type { OnLeavePolicy } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { AccountUnreadable } from '../ui/AccountUnreadable.tsx';
import { ProblemMessage } from '../ui/Problem.tsx';
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

const AccountFields = graphql(`
  query AccountFields($connectionId: ID!) {
    connection(id: $connectionId) {
      id
      fields {
        id
        title
        type
        options
      }
    }
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

type FieldRow = { attribute: string; fieldId: string };

/** A new export: saving it never runs it. */
export function ExportForm({ onDone }: { onDone: (message?: string) => void }) {
  const [{ data, error }] = useQuery({ query: ExportChoices });
  const [created, createExport] = useMutation(CreateExport);
  const [name, setName] = useState('');
  const [connectionId, setConnectionId] = useState('');
  const [listId, setListId] = useState('');
  const [segmentIds, setSegmentIds] = useState<string[]>([]);
  const [email, setEmail] = useState('');
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [phone, setPhone] = useState('');
  const [fields, setFields] = useState<FieldRow[]>([]);
  const [onLeave, setOnLeave] = useState<OnLeavePolicy>('KEEP');
  const [tags, setTags] = useState<string[]>([]);
  const [excludeAutomations, setExcludeAutomations] = useState(false);
  const [account] = useQuery({
    query: AccountFields,
    variables: { connectionId },
    pause: !connectionId || fields.length === 0,
  });
  const accountFields = account.data?.connection.fields ?? [];
  const usable = (data?.connections.nodes ?? []).filter((c) => c.canUse);
  const attributes = data?.profileAttributes ?? [];
  const segments = data?.segments.nodes ?? [];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await createExport({
      input: {
        name,
        connectionId,
        listId,
        segmentIds,
        onLeave,
        tags,
        excludeAutomations,
        mapping: {
          email,
          firstName: firstName || null,
          lastName: lastName || null,
          phone: phone || null,
          fields: fields.filter((f) => f.attribute && f.fieldId),
        },
      },
    });
    if (result.data)
      onDone(`Export “${result.data.createExport.name}” saved. It has not run: preview it or run it now.`);
  };

  const attributeSelect = (
    id: string,
    label: string,
    value: string,
    set: (v: string) => void,
    required = false,
  ) => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} required={required} value={value} onChange={(e) => set(e.target.value)}>
        <option value="">{required ? 'Choose an attribute' : '— not exported —'}</option>
        {attributes.map((a) => (
          <option key={a} value={a}>
            {a}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <form className="panel" onSubmit={submit} aria-label="New export">
      <h2>New export</h2>
      <ProblemMessage error={error} />
      <div className="field">
        <label htmlFor="export-name">Name</label>
        <input
          id="export-name"
          required
          maxLength={200}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="export-connection">Connection</label>
        <select
          id="export-connection"
          required
          value={connectionId}
          onChange={(e) => {
            setConnectionId(e.target.value);
            setListId('');
            setFields(fields.map((f) => ({ ...f, fieldId: '' })));
          }}
        >
          <option value="">Choose a connection</option>
          {usable.map((c) => (
            <option key={c.id} value={c.id}>
              {c.displayName}
            </option>
          ))}
        </select>
        {data && usable.length === 0 && (
          <p className="help">No connection you may use: an administrator adds them.</p>
        )}
      </div>
      <ListPicker connectionId={connectionId} value={listId} onChange={setListId} />
      <fieldset>
        <legend>Segments</legend>
        {segments.length === 0 && <p className="help">No segments yet.</p>}
        {segments.map((s) => (
          <label key={s.id}>
            <input
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
      </fieldset>
      <fieldset>
        <legend>Data matching</legend>
        <p className="help">
          Which profile attribute fills each ActiveCampaign contact field. Email is required.
        </p>
        {attributeSelect('map-email', 'Email', email, setEmail, true)}
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
              {attributes.map((a) => (
                <option key={a} value={a}>
                  {a}
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
      <fieldset>
        <legend>When someone leaves the segments</legend>
        <label>
          <input
            type="radio"
            name="on-leave"
            checked={onLeave === 'KEEP'}
            onChange={() => setOnLeave('KEEP')}
          />
          Keep them on the list
        </label>
        <label>
          <input
            type="radio"
            name="on-leave"
            checked={onLeave === 'UNSUBSCRIBE'}
            onChange={() => setOnLeave('UNSUBSCRIBE')}
          />
          Unsubscribe them from the list (nobody is ever re-subscribed)
        </label>
        <label>
          <input
            type="radio"
            name="on-leave"
            checked={onLeave === 'REMOVE_TAGS'}
            onChange={() => setOnLeave('REMOVE_TAGS')}
          />
          Remove the export’s tags from them (they stay subscribed to the list)
        </label>
        {onLeave === 'REMOVE_TAGS' && tags.length === 0 && (
          <p className="help">Add tags above: without them there is nothing to remove.</p>
        )}
      </fieldset>
      <div className="field">
        <label>
          <input
            type="checkbox"
            checked={excludeAutomations}
            onChange={(e) => setExcludeAutomations(e.target.checked)}
            aria-describedby="export-automations-help"
          />
          Exclude automations
        </label>
        <p id="export-automations-help" className="help">
          Contacts this export imports do not start the account’s automations (such as a welcome series).
        </p>
      </div>
      <ProblemMessage error={created.error} />
      <div className="actions">
        <button type="submit" disabled={created.fetching}>
          Save
        </button>
        <button type="button" onClick={() => onDone()}>
          Cancel
        </button>
      </div>
      <p className="help">Saving never runs the export.</p>
    </form>
  );
}
