import nodemailer from 'nodemailer';
import type { OutboundHostPolicy } from '../network/outbound-hosts.ts';
import type { SecretBox } from '../secrets.ts';
import type { ChannelKind } from './events.ts';
import type { AlertMessage } from './message.ts';
import { readableMessage } from './message.ts';
import { postJson } from './post-json.ts';
import { signatureHeader } from './signature.ts';
import { slackText } from './slack-text.ts';

export type StoredChannel = {
  id: string;
  kind: ChannelKind;
  urlCiphertext: string | null;
  emailTo: string | null;
  signingSecretCiphertext: string | null;
};

export type SendDeps = {
  secrets: SecretBox;
  hostPolicy: OutboundHostPolicy;
  /** OUTBOUND_SMTP_URL; e-mail channels fail without it. */
  smtpUrl: string | null;
  emailFrom: string;
};

/** Sends one message on one channel; throws (with a message free of secrets) when it did not arrive. */
export async function sendOnChannel(
  deps: SendDeps,
  channel: StoredChannel,
  message: AlertMessage,
): Promise<void> {
  switch (channel.kind) {
    case 'WEBHOOK': {
      const url = await deps.secrets.decrypt(channel.urlCiphertext ?? '');
      const secret = await deps.secrets.decrypt(channel.signingSecretCiphertext ?? '');
      const body = JSON.stringify(message);
      const signature = signatureHeader(secret, body, Math.floor(Date.now() / 1000));
      return postJson(
        url,
        body,
        // The same id on every retry of this delivery: receivers drop what they already took.
        // `Outbound-Delivery` is the older name of the same header.
        {
          'outbound-signature': signature,
          'outbound-delivery-id': message.deliveryId,
          'outbound-delivery': message.deliveryId,
        },
        deps.hostPolicy,
      );
    }
    case 'SLACK': {
      const url = await deps.secrets.decrypt(channel.urlCiphertext ?? '');
      const { subject, text } = readableMessage(message);
      return postJson(url, JSON.stringify({ text: slackText(`*${subject}*\n${text}`) }), {}, deps.hostPolicy);
    }
    case 'EMAIL': {
      if (!deps.smtpUrl) throw new Error('OUTBOUND_SMTP_URL is not set: e-mail channels cannot send.');
      const { subject, text } = readableMessage(message);
      const transport = nodemailer.createTransport(deps.smtpUrl);
      try {
        // One Message-ID per delivery, the same on a retry: mail stores and clients fold duplicates.
        await transport.sendMail({
          from: deps.emailFrom,
          to: channel.emailTo ?? '',
          subject,
          text,
          messageId: `<${message.deliveryId}@outbound.delivery>`,
          headers: { 'Outbound-Delivery-Id': message.deliveryId },
        });
      } catch (error) {
        throw new Error(
          `The mail server refused the message (${(error as { code?: string }).code ?? 'error'}).`,
        );
      } finally {
        transport.close();
      }
    }
  }
}
