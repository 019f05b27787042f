import { type FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import { inputLimits } from '../../../core/input-limits.ts';
import type { NotificationChannelKind } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { GeneralProblem, TextField, useFormProblem } from '../ui/form.tsx';
import { ProblemMessage } from '../ui/Problem.tsx';

const CreateChannel = graphql(`
  mutation CreateNotificationChannel($input: CreateNotificationChannelInput!) {
    createNotificationChannel(input: $input) {
      signingSecret
      channel {
        id
        name
      }
    }
  }
`);

const TestChannel = graphql(`
  mutation TestNotificationChannel($id: ID!) {
    testNotificationChannel(id: $id) {
      id
      status
      lastError
    }
  }
`);

const DeleteChannel = graphql(`
  mutation DeleteNotificationChannel($id: ID!) {
    deleteNotificationChannel(id: $id)
  }
`);

type Channel = {
  id: string;
  name: string;
  kind: NotificationChannelKind;
  emailTo?: string | null;
  urlMasked?: string | null;
};

const kindWords: Record<NotificationChannelKind, string> = {
  EMAIL: 'E-mail',
  SLACK: 'Slack',
  WEBHOOK: 'Webhook',
};

export function Channels({ channels, onChange }: { channels: Channel[]; onChange: () => void }) {
  const [created, createChannel] = useMutation(CreateChannel);
  const [tested, testChannel] = useMutation(TestChannel);
  const [removed, deleteChannel] = useMutation(DeleteChannel);
  const [testedName, setTestedName] = useState('');
  const [kind, setKind] = useState<NotificationChannelKind>('EMAIL');
  const [name, setName] = useState('');
  const [target, setTarget] = useState('');
  const problem = useFormProblem(created.error, {
    name: 'channel-name',
    emailTo: 'channel-target',
    url: 'channel-target',
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await createChannel({
      input: { kind, name, ...(kind === 'EMAIL' ? { emailTo: target } : { url: target }) },
    });
    if (result.data) {
      setName('');
      setTarget('');
      onChange();
    }
  };
  return (
    <section className="panel" aria-labelledby="channels-title">
      <h2 id="channels-title">Channels</h2>
      {channels.length === 0 && <p className="empty">No channels: nobody is alerted.</p>}
      <ul className="plain">
        {channels.map((c) => (
          <li key={c.id}>
            <strong>{c.name}</strong> <span className="muted">{kindWords[c.kind]}</span>{' '}
            <span className="wrap">{c.emailTo ?? c.urlMasked}</span>{' '}
            <button
              type="button"
              disabled={tested.fetching}
              onClick={async () => {
                setTestedName(c.name);
                await testChannel({ id: c.id });
              }}
            >
              Test {c.name}
            </button>{' '}
            <button
              type="button"
              className="danger"
              onClick={async () => {
                if (!confirm(`Remove the channel “${c.name}” and its rules?`)) return;
                const result = await deleteChannel({ id: c.id });
                if (!result.error) onChange();
              }}
            >
              Remove {c.name}
            </button>
          </li>
        ))}
      </ul>
      <ProblemMessage error={tested.error ?? removed.error} />
      {tested.data && (
        <p
          role="status"
          className={tested.data.testNotificationChannel.status === 'SENT' ? 'notice' : 'problem'}
        >
          Test message to “{testedName}”:{' '}
          {tested.data.testNotificationChannel.status === 'SENT'
            ? 'sent.'
            : `not delivered: ${tested.data.testNotificationChannel.lastError ?? 'no answer'}.`}
        </p>
      )}
      <form onSubmit={submit} aria-label="Add a channel" className="inline-form">
        <div className="field">
          <label htmlFor="channel-kind">Kind</label>
          <select
            id="channel-kind"
            value={kind}
            onChange={(e) => setKind(e.target.value as NotificationChannelKind)}
          >
            {Object.entries(kindWords).map(([k, words]) => (
              <option key={k} value={k}>
                {words}
              </option>
            ))}
          </select>
        </div>
        <TextField
          id="channel-name"
          label="Channel name"
          required
          limit={inputLimits.channelName}
          value={name}
          onChange={setName}
          error={problem.of('channel-name')}
        />
        <TextField
          id="channel-target"
          label={kind === 'EMAIL' ? 'E-mail address' : kind === 'SLACK' ? 'Slack webhook URL' : 'Webhook URL'}
          type={kind === 'EMAIL' ? 'email' : 'url'}
          required
          value={target}
          onChange={setTarget}
          error={problem.of('channel-target')}
        />
        <button type="submit" disabled={created.fetching}>
          Add channel
        </button>
      </form>
      <GeneralProblem sentence={problem.general} />
      {created.data?.createNotificationChannel.signingSecret && (
        <p role="status" className="notice">
          The webhook’s signing secret, shown only now:{' '}
          <code className="token">{created.data.createNotificationChannel.signingSecret}</code>
        </p>
      )}
    </section>
  );
}
