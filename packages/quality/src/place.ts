/**
 * A record seen as a place to compare: its values read through the field roles and normalised once
 * (name words, address key, phone, SIRET, e-mail, position). A value that cannot be read (a phone
 * of 7 digits, a latitude of 200) is left out rather than guessed.
 */

import type { FieldRoles } from './field-roles.ts';
import {
  type AddressKey,
  addressKey,
  foldText,
  kindsOfPlace,
  type NameTokens,
  nameTokens,
  normaliseEmail,
  normalisePhone,
  normaliseSiret,
} from './normalize.ts';

export type RecordValues = Readonly<Record<string, unknown>>;

export interface Position {
  lat: number;
  lon: number;
}

export interface Place {
  name: NameTokens;
  /** The folded name, all words, to compare names made only of generic words. */
  nameText: string;
  /** Kinds of place the name says ("france-services", "library"…). */
  kinds: Set<string>;
  address: AddressKey | null;
  postcode: string | null;
  city: string | null;
  phone: string | null;
  email: string | null;
  siret: string | null;
  position: Position | null;
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const t = text(value).replace(',', '.');
  if (t === '' || !/^-?\d+(\.\d+)?$/.test(t)) return null;
  return Number(t);
}

function valid(lat: number | null, lon: number | null): Position | null {
  if (lat === null || lon === null) return null;
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180 || (lat === 0 && lon === 0)) return null;
  return { lat, lon };
}

/** A point from "lat,lon" text, a [lon, lat] array or a GeoJSON Point (object or JSON text). */
export function readPoint(value: unknown): Position | null {
  if (Array.isArray(value) && value.length >= 2) return valid(toNumber(value[1]), toNumber(value[0]));
  if (value && typeof value === 'object') {
    const geometry = value as { type?: unknown; coordinates?: unknown; geometry?: unknown };
    if (geometry.type === 'Feature') return readPoint(geometry.geometry);
    if (geometry.type === 'Point') return readPoint(geometry.coordinates);
    return null;
  }
  const t = text(value);
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return readPoint(JSON.parse(t));
    } catch {
      return null;
    }
  }
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*[,;]\s*(-?\d+(?:\.\d+)?)\s*$/.exec(t);
  return match ? valid(Number(match[1]), Number(match[2])) : null;
}

export function readPosition(values: RecordValues, roles: FieldRoles): Position | null {
  if (roles.latitude && roles.longitude) {
    const position = valid(toNumber(values[roles.latitude]), toNumber(values[roles.longitude]));
    if (position) return position;
  }
  return roles.point ? readPoint(values[roles.point]) : null;
}

export function toPlace(values: RecordValues, roles: FieldRoles): Place {
  const get = (role: keyof FieldRoles) => {
    const field = roles[role];
    return field ? text(values[field]) : '';
  };
  const name = get('name');
  const address = get('address');
  const postcode = get('postcode').replace(/\s/g, '');
  const city = foldText(get('city').replace(/\bcedex\b.*$/i, ''));
  return {
    name: nameTokens(name),
    nameText: foldText(name),
    kinds: kindsOfPlace(name),
    address: address === '' ? null : addressKey(address),
    postcode: /^\d{5}$/.test(postcode) ? postcode : null,
    city: city === '' ? null : city,
    phone: normalisePhone(get('phone')),
    email: normaliseEmail(get('email')),
    siret: normaliseSiret(get('siret')),
    position: readPosition(values, roles),
  };
}

/** Great-circle distance in metres (haversine). */
export function distanceMeters(a: Position, b: Position): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)));
}
