/**
 * Every user-facing text, French first. The English catalog has exactly the French keys
 * (the type says so), so a missing translation fails the type check, not the user.
 * `{name}` marks a parameter; keys ending in `_one` / `_other` are plural forms.
 */

export const fr = {
  'app.name': 'Data Patch',
  'app.skip': 'Aller au contenu',
  'app.home': 'Accueil Data Patch',
  'app.language': 'Langue',
  'app.footer': 'Data Patch est un commun numérique libre (AGPL-3.0).',

  'home.title': 'Jeux de données ouverts',
  'home.intro': 'Consultez les données publiques des hubs, même hors ligne une fois ouvertes.',
  'home.search': 'Rechercher un jeu de données',
  'home.loading': 'Chargement des jeux de données…',
  'home.error': 'Impossible de charger la liste des jeux de données. Vérifiez votre connexion.',
  'home.empty': 'Aucun jeu de données public pour le moment.',
  'home.noMatch': 'Aucun jeu de données ne correspond à « {query} ».',
  'home.count_one': '{count} jeu de données',
  'home.count_other': '{count} jeux de données',
  'home.rows_one': '{count} fiche',
  'home.rows_other': '{count} fiches',

  'dataset.loading': 'Chargement des données…',
  'dataset.empty': 'Ce jeu de données est introuvable ou vide.',
  'dataset.search': 'Rechercher dans les fiches',
  'dataset.searchHint': 'Plusieurs mots possibles, sans souci des accents ni des majuscules.',
  'dataset.results_one': '{count} fiche sur {total}',
  'dataset.results_other': '{count} fiches sur {total}',
  'dataset.noMatch': 'Aucune fiche ne correspond à votre recherche.',
  'dataset.filters': 'Filtres',
  'dataset.filtersActive_one': 'Filtres ({count} actif)',
  'dataset.filtersActive_other': 'Filtres ({count} actifs)',
  'dataset.clearFilters': 'Effacer les filtres',
  'dataset.notFilled': '(non renseigné)',
  'dataset.view': 'Affichage',
  'dataset.viewTable': 'Tableau',
  'dataset.viewCards': 'Fiches',
  'dataset.sortBy': 'Trier par {field}',
  'dataset.sortAscending': 'croissant',
  'dataset.sortDescending': 'décroissant',
  'dataset.showMore': 'Afficher {count} fiches de plus',
  'dataset.open': 'Ouvrir la fiche',
  'dataset.tableCaption': '{title} : fiches {from} à {to} sur {total}',
  'dataset.back': 'Retour à la liste',

  'record.title': 'Fiche',
  'record.missing': 'Cette fiche n’existe pas ou a été supprimée.',
  'record.fields': 'Informations',
  'record.yes': 'Oui',
  'record.no': 'Non',
  'record.empty': 'Non renseigné',

  'status.online': 'En ligne, à jour',
  'status.syncing': 'Synchronisation…',
  'status.offline': 'Hors ligne',
  'status.lastSync': 'dernière synchro {when}',
  'status.neverSynced': 'jamais synchronisé',
  'status.label': 'État de la connexion',
} as const;

export type MessageKey = keyof typeof fr;
export type Catalog = Record<MessageKey, string>;

export const en: Catalog = {
  'app.name': 'Data Patch',
  'app.skip': 'Skip to content',
  'app.home': 'Data Patch home',
  'app.language': 'Language',
  'app.footer': 'Data Patch is a free digital common (AGPL-3.0).',

  'home.title': 'Open datasets',
  'home.intro': 'Browse the hubs’ public data, even offline once opened.',
  'home.search': 'Search datasets',
  'home.loading': 'Loading datasets…',
  'home.error': 'Could not load the datasets. Check your connection.',
  'home.empty': 'No public dataset yet.',
  'home.noMatch': 'No dataset matches “{query}”.',
  'home.count_one': '{count} dataset',
  'home.count_other': '{count} datasets',
  'home.rows_one': '{count} record',
  'home.rows_other': '{count} records',

  'dataset.loading': 'Loading data…',
  'dataset.empty': 'This dataset does not exist or is empty.',
  'dataset.search': 'Search records',
  'dataset.searchHint': 'Several words allowed; accents and capitals do not matter.',
  'dataset.results_one': '{count} record of {total}',
  'dataset.results_other': '{count} records of {total}',
  'dataset.noMatch': 'No record matches your search.',
  'dataset.filters': 'Filters',
  'dataset.filtersActive_one': 'Filters ({count} active)',
  'dataset.filtersActive_other': 'Filters ({count} active)',
  'dataset.clearFilters': 'Clear filters',
  'dataset.notFilled': '(not filled in)',
  'dataset.view': 'View',
  'dataset.viewTable': 'Table',
  'dataset.viewCards': 'Cards',
  'dataset.sortBy': 'Sort by {field}',
  'dataset.sortAscending': 'ascending',
  'dataset.sortDescending': 'descending',
  'dataset.showMore': 'Show {count} more records',
  'dataset.open': 'Open the record',
  'dataset.tableCaption': '{title}: records {from} to {to} of {total}',
  'dataset.back': 'Back to the list',

  'record.title': 'Record',
  'record.missing': 'This record does not exist or was deleted.',
  'record.fields': 'Details',
  'record.yes': 'Yes',
  'record.no': 'No',
  'record.empty': 'Not filled in',

  'status.online': 'Online, up to date',
  'status.syncing': 'Syncing…',
  'status.offline': 'Offline',
  'status.lastSync': 'last sync {when}',
  'status.neverSynced': 'never synced',
  'status.label': 'Connection status',
};

export const locales = ['fr', 'en'] as const;
export type Locale = (typeof locales)[number];
export const catalogs: Record<Locale, Catalog> = { fr, en };
/** Each language's own name, shown in the language switch whatever the current language. */
export const localeNames: Record<Locale, string> = { fr: 'Français', en: 'English' };
