import { type FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import { inputLimits } from '../../../core/input-limits.ts';
import type { NotificationChannelKind } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { ActionButton } from '../ui/ActionButton.tsx';
import { GeneralProblem, SelectField, TextField, useForm } from '../ui/form.tsx';
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
const kindChoices = Object.entries(kindWords).map(([value, label]) => ({ value, label }));

export function Channels({ channels, onChange }: { channels: Channel[]; onChange: () => void }) {
  const [created, createChannel] = useMutation(CreateChannel);
  const [tested, testChannel] = useMutation(TestChannel);
  const [removed, deleteChannel] = useMutation(DeleteChannel);
  const [testedName, setTestedName] = useState('');
  const form = useForm(
    { kind: 'EMAIL' as NotificationChannelKind, name: '', target: '' },
    { name: 'channel-name', emailTo: 'channel-target', url: 'channel-target' },
    created.error,
  );
  const { kind, name, target } = form.values;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await createChannel({
      input: { kind, name, ...(kind === 'EMAIL' ? { emailTo: target } : { url: target }) },
    });
    if (result.data) {
      form.set('name')('');
      form.set('target')('');
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
            <ActionButton
              disabled={tested.fetching}
              run={() => {
                setTestedName(c.name);
                return testChannel({ id: c.id });
              }}
            >
              Test {c.name}
            </ActionButton>{' '}
            <ActionButton
              danger
              confirmation={`Remove the channel “${c.name}” and its rules?`}
              run={() => deleteChannel({ id: c.id })}
              onDone={onChange}
            >
              Remove {c.name}
            </ActionButton>
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
        <SelectField
          id="channel-kind"
          label="Kind"
          value={kind}
          onChange={(v) => form.set('kind')(v as NotificationChannelKind)}
          choices={kindChoices}
        />
        <TextField {...form.text('name')} label="Channel name" required limit={inputLimits.channelName} />
        <TextField
          id="channel-target"
          label={kind === 'EMAIL' ? 'E-mail address' : kind === 'SLACK' ? 'Slack webhook URL' : 'Webhook URL'}
          type={kind === 'EMAIL' ? 'email' : 'url'}
          required
          value={target}
          onChange={form.set('target')}
          error={form.problem.of('channel-target')}
        />
        <button type="submit" disabled={created.fetching}>
          Add channel
        </button>
      </form>
      <GeneralProblem sentence={form.problem.general} />
      {created.data?.createNotificationChannel.signingSecret && (
        <p role="status" className="notice">
          The webhook’s signing secret, shown only now:{' '}
          <code className="token">{created.data.createNotificationChannel.signingSecret}</code>
        </p>
      )}
    </section>
  );
}
