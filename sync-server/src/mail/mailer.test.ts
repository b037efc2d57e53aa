import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MailConfigurationError, mailerFromUrl } from './mailer.ts';
import { passwordResetMail } from './password-reset-mail.ts';

describe('the mailer', () => {
  it('is absent without DATAPATCH_SMTP_URL, and refuses a URL that is not SMTP', () => {
    expect(mailerFromUrl(undefined, undefined)).toBeNull();
    expect(mailerFromUrl('  ', undefined)).toBeNull();
    expect(() => mailerFromUrl('http://mail.example.org', undefined)).toThrow(MailConfigurationError);
  });

  it('answers a value, never throws, when the SMTP server is unreachable', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const mailer = mailerFromUrl(`smtp://127.0.0.1:${port}`, undefined);
    const sent = await mailer?.send(
      passwordResetMail({
        to: 'a@example.org',
        name: 'A',
        link: 'http://x/reset/dpp_1',
        expiresAt: 0,
        by: 'B',
      }),
    );
    expect(sent).toMatchObject({ ok: false });
    mailer?.close();
  });
});
