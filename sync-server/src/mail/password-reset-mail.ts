/**
 * The mail that carries a password reset link: French first, then English, plain text (it must
 * read well in any client and never look like a phishing page). The link is the only action.
 */
import type { MailMessage } from './mailer.ts';

export function passwordResetMail(input: {
  to: string;
  name: string;
  link: string;
  expiresAt: number;
  by: string;
}): MailMessage {
  const until = new Date(input.expiresAt);
  const frDate = until.toLocaleString('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
  const enDate = until.toLocaleString('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
  return {
    to: input.to,
    subject: 'Data Patch : choisir un nouveau mot de passe / choose a new password',
    text: [
      `Bonjour ${input.name},`,
      '',
      `${input.by} a demandé un lien pour que vous choisissiez un nouveau mot de passe Data Patch :`,
      '',
      input.link,
      '',
      `Ce lien fonctionne une seule fois, jusqu'au ${frDate} (UTC). En l'utilisant, vous serez déconnecté·e de vos autres appareils.`,
      "Si vous n'attendiez pas ce message, ignorez-le : votre mot de passe actuel reste valable.",
      '',
      '—',
      '',
      `Hello ${input.name},`,
      '',
      `${input.by} asked for a link so you can choose a new Data Patch password:`,
      '',
      input.link,
      '',
      `This link works once, until ${enDate} (UTC). Using it signs you out on your other devices.`,
      'If you did not expect this message, ignore it: your current password still works.',
      '',
    ].join('\n'),
  };
}
