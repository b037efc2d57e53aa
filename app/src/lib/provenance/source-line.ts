/**
 * The discreet line under a record's field saying where its value came from ("source :
 * proposition validée le 3 mars 2026 par Hub Bourgogne"). Invariant: names a hub, never a
 * person — the record page is public; without a hub, the role ("l'équipe de modération").
 */
import type { FieldProvenance } from '@datapatch/core';
import type { Locale } from '../i18n/messages.ts';
import { translate } from '../i18n/translate.ts';

const dayFormats = new Map<Locale, Intl.DateTimeFormat>();

function day(locale: Locale, at: string): string {
  let format = dayFormats.get(locale);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
    dayFormats.set(locale, format);
  }
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? at : format.format(ms);
}

export function sourceLine(prov: FieldProvenance, locale: Locale): string {
  const date = day(locale, prov.at);
  const who = prov.by.hub || translate(locale, 'record.source.moderators');
  switch (prov.kind) {
    case 'import':
      return translate(locale, 'record.source.import', { date });
    case 'upstream':
      return translate(locale, 'record.source.upstream', { date });
    case 'proposal':
      return prov.auto
        ? translate(locale, 'record.source.proposalAuto', { date })
        : translate(locale, 'record.source.proposal', { date, who });
    case 'edit':
      return translate(locale, 'record.source.edit', { date, who });
  }
}
