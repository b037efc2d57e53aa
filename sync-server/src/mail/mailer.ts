/**
 * Sending mail through the instance's SMTP server (`DATAPATCH_SMTP_URL`, e.g.
 * `smtps://user:pass@mail.example.org` or `smtp://127.0.0.1:2525`). Invariant: a send never throws;
 * a refused or unreachable server is a value, so whoever asked can fall back (show the link to copy).
 * Without a URL there is no mailer at all, and nothing else changes.
 */
import { createTransport } from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export type MailSent = { ok: true } | { ok: false; reason: string };

export interface Mailer {
  send(message: MailMessage): Promise<MailSent>;
  close(): void;
}

/** How long one send may take before it is given up (a link to copy is better than a hung request). */
const SEND_TIMEOUT_MS = 10_000;

/** A mailer for `url`, or null when the instance has no SMTP server configured. */
export function mailerFromUrl(url: string | undefined, from: string | undefined): Mailer | null {
  if (url === undefined || url.trim() === '') return null;
  const parsed = new URL(url);
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
    throw new MailConfigurationError(
      `DATAPATCH_SMTP_URL must start with smtp:// or smtps://, not ${parsed.protocol}`,
    );
  }
  const transport = createTransport({
    url,
    connectionTimeout: SEND_TIMEOUT_MS,
    greetingTimeout: SEND_TIMEOUT_MS,
    socketTimeout: SEND_TIMEOUT_MS,
  } as Parameters<typeof createTransport>[0]);
  const sender = from?.trim() || `Data Patch <datapatch@${parsed.hostname || 'localhost'}>`;
  return {
    async send(message) {
      try {
        await transport.sendMail({
          from: sender,
          to: message.to,
          subject: message.subject,
          text: message.text,
        });
        return { ok: true };
      } catch (error) {
        return { ok: false, reason: error instanceof Error ? error.message : String(error) };
      }
    },
    close() {
      transport.close();
    },
  };
}

export class MailConfigurationError extends Error {
  readonly code = 'mail-configuration';
}
