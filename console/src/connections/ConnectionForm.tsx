import { type FormEvent, useState } from 'react';
import { inputLimits } from '../../../core/input-limits.ts';
import { graphql } from '../gql/index.ts';
import { RadioGroup, TextField } from '../ui/form.tsx';
import { ProblemMessage } from '../ui/Problem.tsx';
import { useSave } from '../ui/use-save.ts';
import { hostOf } from './api-host.ts';

const CreateConnection = graphql(`
  mutation CreateConnection($input: CreateConnectionInput!) {
    createConnection(input: $input) {
      ...ConnectionFields
    }
  }
`);

const UpdateConnection = graphql(`
  mutation UpdateConnection($id: ID!, $input: UpdateConnectionInput!) {
    updateConnection(id: $id, input: $input) {
      ...ConnectionFields
    }
  }
`);

type Existing = {
  id: string;
  displayName: string;
  apiHost?: string | null;
  contributorsCanUse?: boolean | null;
};

/** The seed's steps: name, key, host, who may use it, the data-privacy terms, then the live key check. */
export function ConnectionForm({
  connection,
  onDone,
}: {
  connection?: Existing;
  onDone: (message?: string) => void;
}) {
  const editing = Boolean(connection);
  const [displayName, setDisplayName] = useState(connection?.displayName ?? '');
  const [apiKey, setApiKey] = useState('');
  const [apiHost, setApiHost] = useState(connection?.apiHost ?? '');
  const [corrected, setCorrected] = useState('');
  const [contributorsCanUse, setContributorsCanUse] = useState(connection?.contributorsCanUse ?? false);
  const [consent, setConsent] = useState(false);
  const save = useSave(editing, CreateConnection, UpdateConnection);

  const correctHost = () => {
    const host = hostOf(apiHost);
    if (host && host !== apiHost.trim()) {
      setCorrected(`Corrected to the host name only: “${host}” (without https:// and the path).`);
      setApiHost(host);
    } else setCorrected('');
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const host = hostOf(apiHost);
    if (connection) {
      const hostChanged = host !== (connection.apiHost ?? '');
      const result = await save.update({
        id: connection.id,
        input: {
          displayName,
          contributorsCanUse,
          ...(hostChanged ? { apiHost: host } : {}),
          ...(apiKey ? { apiKey } : {}),
        },
      });
      if (!result.error) onDone(`Connection “${displayName}” saved.`);
      return;
    }
    const result = await save.create({
      input: { displayName, apiKey, apiHost: host, contributorsCanUse, acceptDataPrivacy: consent },
    });
    const made = result.data?.createConnection;
    if (made)
      onDone(
        `Connected: ActiveCampaign accepted the key. Exports through “${made.displayName}” run as ${made.exportUser?.email ?? 'you'}.`,
      );
  };

  const prefix = connection ? `edit-${connection.id}` : 'new-connection';
  return (
    <form className="panel" onSubmit={submit} aria-label={editing ? 'Edit connection' : 'Add a connection'}>
      <h2>{editing ? `Edit “${connection?.displayName}”` : 'Add a connection'}</h2>
      <TextField
        id={`${prefix}-name`}
        label="Display name"
        required
        maxLength={inputLimits.connectionName}
        value={displayName}
        onChange={setDisplayName}
      />
      <TextField
        id={`${prefix}-host`}
        label="API host"
        required
        value={apiHost}
        onChange={setApiHost}
        onBlur={correctHost}
        help={
          <>
            The host name of your API URL (ActiveCampaign › Settings › Developer), e.g.{' '}
            <code>acme.api-us1.com</code>. A pasted <code>https://…/</code> address is shortened to its host.
          </>
        }
        after={
          corrected && (
            <p className="help corrected" role="status">
              {corrected}
            </p>
          )
        }
      />
      <TextField
        id={`${prefix}-key`}
        label={editing ? 'New API key (leave empty to keep the current one)' : 'API key'}
        type="password"
        autoComplete="off"
        required={!editing}
        value={apiKey}
        onChange={setApiKey}
        help="From ActiveCampaign › Settings › Developer. It is checked with ActiveCampaign now, stored encrypted and never shown again. A new host needs the key again."
      />
      <RadioGroup
        legend="Who may use it"
        name={`${prefix}-who`}
        value={contributorsCanUse}
        onChange={setContributorsCanUse}
        choices={[
          { value: false, label: 'Administrators only' },
          { value: true, label: 'Administrators and contributors' },
        ]}
      />
      {!editing && (
        <fieldset>
          <legend>Data privacy</legend>
          <p id={`${prefix}-privacy`} className="privacy">
            Exports send your customers’ personal data — email addresses, names, phone numbers and the custom
            fields you map — to ActiveCampaign, which processes them under its own terms as your processor.
            You confirm that you may share this data with ActiveCampaign for marketing and that your customers
            were told so.
          </p>
          <label>
            <input
              type="checkbox"
              checked={consent}
              onChange={(e) => setConsent(e.target.checked)}
              aria-describedby={`${prefix}-privacy`}
            />
            I accept the data-privacy terms above
          </label>
        </fieldset>
      )}
      <ProblemMessage error={save.error} />
      {save.saving && (
        <p role="status" className="muted">
          Checking the key with ActiveCampaign…
        </p>
      )}
      <div className="actions">
        <button
          type="submit"
          disabled={save.saving || (!editing && !consent)}
          aria-describedby={!editing && !consent ? `${prefix}-connect-why` : undefined}
        >
          {editing ? 'Save' : 'Connect'}
        </button>
        {!editing && !consent && (
          <span id={`${prefix}-connect-why`} className="help">
            Connect is available once the data-privacy terms are accepted.
          </span>
        )}
        <button type="button" onClick={() => onDone()}>
          Cancel
        </button>
      </div>
    </form>
  );
}
