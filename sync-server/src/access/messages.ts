/**
 * French and English text for every access and proposal error code. The table is typed
 * against the protocol's code lists, so adding a code without its two messages fails to compile.
 */
import type { AccessErrorCode, ProposalErrorCode } from '@datapatch/protocol';

export type Language = 'fr' | 'en';
type Code = AccessErrorCode | ProposalErrorCode;

const messages: Record<Code, Record<Language, string>> = {
  invalid_credentials: {
    fr: 'Adresse e-mail ou mot de passe incorrect.',
    en: 'Wrong email or password.',
  },
  too_many_attempts: {
    fr: 'Trop de tentatives de connexion. Réessayez plus tard.',
    en: 'Too many sign-in attempts. Try again later.',
  },
  unauthenticated: { fr: 'Connectez-vous pour continuer.', en: 'Sign in to continue.' },
  forbidden: {
    fr: 'Votre rôle ne permet pas cette action.',
    en: 'Your role does not allow this action.',
  },
  invalid_email: { fr: 'Adresse e-mail invalide.', en: 'Invalid email address.' },
  email_taken: {
    fr: 'Un compte existe déjà avec cette adresse e-mail.',
    en: 'An account already uses this email address.',
  },
  weak_password: {
    fr: 'Le mot de passe doit compter entre 12 et 1024 caractères.',
    en: 'The password must be 12 to 1024 characters long.',
  },
  user_not_found: { fr: 'Compte introuvable.', en: 'Account not found.' },
  hub_not_found: { fr: 'Organisation introuvable.', en: 'Hub not found.' },
  dataset_not_found: { fr: 'Jeu de données introuvable.', en: 'Dataset not found.' },
  dataset_exists: { fr: 'Ce jeu de données existe déjà.', en: 'This dataset already exists.' },
  last_owner: {
    fr: 'Un jeu de données doit garder au moins une personne propriétaire.',
    en: 'A dataset must keep at least one person as owner.',
  },
  invite_not_found: { fr: "Lien d'invitation inconnu.", en: 'Unknown invite link.' },
  invite_expired: {
    fr: "Ce lien d'invitation a expiré. Demandez-en un nouveau.",
    en: 'This invite link has expired. Ask for a new one.',
  },
  invite_used_up: {
    fr: "Ce lien d'invitation a déjà servi le nombre de fois prévu.",
    en: 'This invite link has been used as many times as allowed.',
  },
  invite_revoked: {
    fr: "Ce lien d'invitation a été annulé.",
    en: 'This invite link was revoked.',
  },
  invalid_invite: {
    fr: "Invitation invalide : rôle, durée ou nombre d'utilisations incorrect.",
    en: 'Invalid invite: wrong role, lifetime or number of uses.',
  },
  reset_not_found: {
    fr: 'Lien de réinitialisation inconnu. Demandez-en un nouveau.',
    en: 'Unknown reset link. Ask for a new one.',
  },
  reset_used: {
    fr: 'Ce lien de réinitialisation a déjà servi. Demandez-en un nouveau.',
    en: 'This reset link has already been used. Ask for a new one.',
  },
  reset_expired: {
    fr: 'Ce lien de réinitialisation a expiré. Demandez-en un nouveau.',
    en: 'This reset link has expired. Ask for a new one.',
  },
  invalid_settings: { fr: 'Réglages invalides.', en: 'Invalid settings.' },
  unknown_proposable_field: {
    fr: "Ces champs n'existent pas dans le schéma du jeu de données.",
    en: 'These fields are not in the dataset schema.',
  },
  proposal_too_large: { fr: 'La proposition est trop volumineuse.', en: 'The proposal is too large.' },
  proposal_invalid: {
    fr: 'La proposition contient des erreurs.',
    en: 'The proposal contains errors.',
  },
  proposal_spam: { fr: 'Proposition refusée.', en: 'Proposal refused.' },
  proposal_field_closed: {
    fr: "Ce champ n'est pas ouvert aux propositions.",
    en: 'This field is not open to proposals.',
  },
  proposals_closed: {
    fr: "Ce jeu de données n'accepte pas de propositions en ce moment.",
    en: 'This dataset does not take proposals at the moment.',
  },
  idempotency_key_reused: {
    fr: "Cette clé d'envoi a déjà servi pour une autre proposition.",
    en: 'This submission key was already used for another proposal.',
  },
  rate_limited: {
    fr: 'Trop de propositions envoyées. Réessayez plus tard.',
    en: 'Too many proposals sent. Try again later.',
  },
  too_many_pending: {
    fr: 'Trop de vos propositions attendent déjà une modération.',
    en: 'Too many of your proposals are already waiting for moderation.',
  },
  proposal_not_found: { fr: 'Proposition introuvable.', en: 'Proposal not found.' },
  proposal_not_pending: {
    fr: 'Cette proposition a déjà été traitée.',
    en: 'This proposal has already been handled.',
  },
};

/** The message for a known code; unknown codes get the code itself rather than a throw. */
export function messageFor(code: string, language: Language): string {
  return (messages as Record<string, Record<Language, string>>)[code]?.[language] ?? code;
}
