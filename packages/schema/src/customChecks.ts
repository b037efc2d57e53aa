// Validata's `custom_checks` (checks a Table Schema declares beside its fields, e.g. a SIRET
// checksum) as a registry of pure functions: a check sees one non-empty cell and answers null or
// what is wrong. These three need no library, so the browser bundle always has them.

import type { Message } from './validationMessages.ts';

/** null when the value passes; otherwise what is wrong with it, in French and English. */
export type CustomCheck = (value: string, params: Readonly<Record<string, unknown>>) => Message | null;
/** Check name (as written in the schema's `custom_checks`) → check. */
export type CustomChecks = Readonly<Record<string, CustomCheck>>;

/** The Luhn sum used by INSEE for SIREN and SIRET numbers. */
function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function isSiren(value: string): boolean {
  return /^\d{9}$/.test(value) && luhnValid(value);
}

/** La Poste's establishments (SIREN 356000000) do not follow Luhn: their digits sum to a multiple of 5. */
export function isSiret(value: string): boolean {
  if (!/^\d{14}$/.test(value)) return false;
  if (value.startsWith('356000000')) {
    let sum = 0;
    for (const c of value) sum += c.charCodeAt(0) - 48;
    return sum % 5 === 0;
  }
  return luhnValid(value);
}

// 10-digit national numbers (0 then 1-9), the same after +33 / 0033 (optionally "(0)"), French
// short numbers (15, 17, 112, 115, 116xxx, 3949…), and other countries' numbers in E.164 shape.
const frenchNational = /^0[1-9]\d{8}$/;
const frenchInternational = /^(?:\+|00)33(?:\(0\))?[1-9]\d{8}$/;
const frenchShort = /^(?:1[578]|11[2459]|19[167]|10\d{2}|116\d{3}|3\d{3})$/;
const international = /^(?:\+|00)(?!33)[1-9]\d{6,14}$/;

export function isPhoneNumber(value: string): boolean {
  const compact = value.trim().replace(/[\s.\-\u00a0]/g, '');
  return (
    frenchNational.test(compact) ||
    frenchInternational.test(compact) ||
    frenchShort.test(compact) ||
    international.test(compact)
  );
}

/** SIREN, SIRET and phone checks: pure code, safe to run on every keystroke in the browser. */
export const pureCustomChecks: CustomChecks = {
  'french-siren-value': (value) =>
    isSiren(value)
      ? null
      : {
          fr: 'SIREN invalide : 9 chiffres dont le dernier est une clé de contrôle (Luhn)',
          en: 'invalid SIREN: 9 digits, the last one a check digit (Luhn)',
        },
  'french-siret-value': (value) =>
    isSiret(value)
      ? null
      : {
          fr: 'SIRET invalide : 14 chiffres dont le dernier est une clé de contrôle (Luhn)',
          en: 'invalid SIRET: 14 digits, the last one a check digit (Luhn)',
        },
  'phone-number-value': (value) =>
    isPhoneNumber(value)
      ? null
      : {
          fr: 'numéro de téléphone invalide : 10 chiffres (01 99 00 27 37), +33 1 99 00 27 37 ou un numéro court (115)',
          en: 'invalid phone number: 10 digits (01 99 00 27 37), +33 1 99 00 27 37 or a short number (115)',
        },
};
