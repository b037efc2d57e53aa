/**
 * The embed's words, French first with English. Its own small catalog: the app's catalog would
 * bring every page's text into a script that must stay small. Every key exists in both languages.
 */
import type { EmbedLang } from './attributes.ts';

const fr = {
  loading: 'Chargement des données…',
  private: 'Ce jeu de données est privé.',
  missing: 'Ce jeu de données est privé ou n’existe pas.',
  unreachable: 'Le serveur de données ne répond pas. Nouvel essai dans quelques secondes.',
  search: 'Rechercher',
  searchPlaceholder: 'Nom, commune, adresse…',
  views: 'Affichage',
  table: 'Tableau',
  cards: 'Fiches',
  map: 'Carte',
  filters: 'Filtres',
  count: (shown: number, total: number) =>
    total === shown ? `${total} fiche${total > 1 ? 's' : ''}` : `${shown} fiches affichées sur ${total}`,
  none: 'Aucune fiche ne correspond.',
  open: 'Voir la fiche',
  back: 'Retour à la liste',
  propose: 'Proposer une correction',
  add: 'Ajouter un lieu',
  formChange: 'Proposer une correction',
  formCreate: 'Ajouter un lieu',
  comment: 'Commentaire (facultatif)',
  contact: 'E-mail pour vous répondre (facultatif, vu des seuls modérateurs)',
  send: 'Envoyer la proposition',
  cancel: 'Annuler',
  nothingChanged: 'Modifiez au moins un champ avant d’envoyer.',
  sent: 'Merci ! Votre proposition est envoyée : les modérateurs la reliront.',
  receipt: 'Reçu de votre proposition',
  queued: 'Enregistrée sur cet appareil : elle partira dès que le serveur répondra.',
  refused: (code: string) => `La proposition a été refusée (${code}).`,
  follow: 'Suivre la proposition',
  status: 'Statut',
  statuses: {
    pending: 'En attente de relecture',
    accepted: 'Acceptée',
    'partially-accepted': 'Acceptée en partie',
    rejected: 'Refusée',
    withdrawn: 'Retirée',
  } as Record<string, string>,
  mapLoading: 'Chargement de la carte…',
  mapNone: 'Aucune fiche n’a de coordonnées.',
  source: 'Données',
  poweredBy: 'avec Data Patch',
  openInApp: 'Ouvrir dans Data Patch',
};

type Messages = typeof fr;

const en: Messages = {
  loading: 'Loading data…',
  private: 'This dataset is private.',
  missing: 'This dataset is private or does not exist.',
  unreachable: 'The data server does not answer. Trying again in a few seconds.',
  search: 'Search',
  searchPlaceholder: 'Name, town, address…',
  views: 'View',
  table: 'Table',
  cards: 'Cards',
  map: 'Map',
  filters: 'Filters',
  count: (shown, total) =>
    total === shown ? `${total} record${total > 1 ? 's' : ''}` : `${shown} records shown of ${total}`,
  none: 'No record matches.',
  open: 'Open the record',
  back: 'Back to the list',
  propose: 'Suggest a correction',
  add: 'Add a place',
  formChange: 'Suggest a correction',
  formCreate: 'Add a place',
  comment: 'Comment (optional)',
  contact: 'E-mail to reach you (optional, seen by moderators only)',
  send: 'Send the proposal',
  cancel: 'Cancel',
  nothingChanged: 'Change at least one field before sending.',
  sent: 'Thank you! Your proposal was sent: moderators will review it.',
  receipt: 'Receipt of your proposal',
  queued: 'Saved on this device: it will be sent as soon as the server answers.',
  refused: (code) => `The proposal was refused (${code}).`,
  follow: 'Follow the proposal',
  status: 'Status',
  statuses: {
    pending: 'Waiting for review',
    accepted: 'Accepted',
    'partially-accepted': 'Partly accepted',
    rejected: 'Refused',
    withdrawn: 'Withdrawn',
  },
  mapLoading: 'Loading the map…',
  mapNone: 'No record has coordinates.',
  source: 'Data',
  poweredBy: 'with Data Patch',
  openInApp: 'Open in Data Patch',
};

export function messages(lang: EmbedLang): Messages {
  return lang === 'en' ? en : fr;
}
export type { Messages };
