// Casts one cell to its Table Schema type, following the Frictionless rules for each type and
// format. A caster is built once per field (regexes and value sets prepared up front) and returns
// the typed value or `invalid`; it never throws, so validating a keystroke costs a function call.

import type { Cell, Field } from './tableSchema.ts';

export const invalid: unique symbol = Symbol('invalid');
export type Cast = (value: Exclude<Cell, null | undefined>) => unknown;

const defaultTrue = ['true', 'True', 'TRUE', '1'];
const defaultFalse = ['false', 'False', 'FALSE', '0'];

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// A `uri` cell becomes a link citizens click: only web addresses with a host pass, so
// `javascript:`, `data:` or `file:` values never reach an href (issue 14).
const webLinkPattern = /^https?:\/\/[^\s/?#@]+(?:[/?#]\S*)?$/i;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const numberPattern = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const integerPattern = /^[+-]?\d+$/;
const isoDate = /^(-?\d{4,})-(\d{2})-(\d{2})$/;
const isoTime = /^(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;
const isoDatetime = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;
const yearPattern = /^-?\d{4}$/;
const yearmonthPattern = /^(-?\d{4})-(\d{2})$/;
const durationPattern =
  /^P(?!$)(\d+(?:\.\d+)?Y)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?W)?(\d+(?:\.\d+)?D)?(T(?=\d)(\d+(?:\.\d+)?H)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?S)?)?$/;

/** What the `uri` format accepts: an `http:` or `https:` address with a host. */
export function isWebLink(value: string): boolean {
  return webLinkPattern.test(value);
}

export function casterFor(field: Field): Cast {
  const format = field.format && field.format !== 'default' ? field.format : 'default';
  switch (field.type ?? 'string') {
    case 'string':
      return stringCaster(format);
    case 'number':
      return numberCaster(field, false);
    case 'integer':
      return numberCaster(field, true);
    case 'boolean':
      return booleanCaster(field);
    case 'object':
      return (v) => parseJsonOf(v, 'object');
    case 'array':
      return (v) => parseJsonOf(v, 'array');
    case 'list':
      return listCaster(field);
    case 'date':
      return dateCaster(format);
    case 'time':
      return timeCaster(format);
    case 'datetime':
      return datetimeCaster(format);
    case 'year':
      return (v) => (yearPattern.test(String(v)) ? Number(v) : invalid);
    case 'yearmonth':
      return (v) => {
        const m = yearmonthPattern.exec(String(v));
        return m && Number(m[2]) >= 1 && Number(m[2]) <= 12 ? String(v) : invalid;
      };
    case 'duration':
      return (v) => (typeof v === 'string' && durationPattern.test(v) ? v : invalid);
    case 'geopoint':
      return geopointCaster(format);
    case 'geojson':
      return (v) => {
        const parsed = parseJsonOf(v, 'object') as { type?: unknown } | typeof invalid;
        return parsed !== invalid && typeof parsed.type === 'string' ? parsed : invalid;
      };
    default:
      // 'any' and types this validator does not know: every value passes.
      return (v) => v;
  }
}

function stringCaster(format: string): Cast {
  const check =
    (test: (s: string) => boolean): Cast =>
    (v) =>
      typeof v === 'string' && test(v) ? v : invalid;
  switch (format) {
    case 'email':
      return check((s) => emailPattern.test(s));
    case 'uri':
      return check(isWebLink);
    case 'uuid':
      return check((s) => uuidPattern.test(s));
    case 'binary':
      return check((s) => base64Pattern.test(s));
    default:
      return (v) => (typeof v === 'string' ? v : String(v));
  }
}

function numberCaster(field: Field, integer: boolean): Cast {
  const decimalChar = field.decimalChar ?? '.';
  const groupChar = field.groupChar ?? '';
  const bare = field.bareNumber !== false;
  const shape = integer ? integerPattern : numberPattern;
  return (v) => {
    if (typeof v === 'number') return integer && !Number.isInteger(v) ? invalid : v;
    if (typeof v !== 'string') return invalid;
    let s = v;
    if (!integer) {
      if (s === 'NaN') return Number.NaN;
      if (s === 'INF' || s === '+INF') return Number.POSITIVE_INFINITY;
      if (s === '-INF') return Number.NEGATIVE_INFINITY;
    }
    if (groupChar && s.includes(groupChar)) s = s.split(groupChar).join('');
    if (decimalChar !== '.' && !integer) {
      if (s.includes('.')) return invalid;
      s = s.replace(decimalChar, '.');
    }
    if (!bare) s = s.replace(/^[^\d+\-.]+|[^\d.]+$/g, '');
    return shape.test(s) ? Number(s) : invalid;
  };
}

function booleanCaster(field: Field): Cast {
  const truthy = new Set(field.trueValues ?? defaultTrue);
  const falsy = new Set(field.falseValues ?? defaultFalse);
  return (v) => {
    if (typeof v === 'boolean') return v;
    const s = String(v);
    if (truthy.has(s)) return true;
    if (falsy.has(s)) return false;
    return invalid;
  };
}

function parseJsonOf(v: unknown, kind: 'object' | 'array'): unknown {
  if (typeof v !== 'string') return invalid;
  try {
    const parsed: unknown = JSON.parse(v);
    const isArray = Array.isArray(parsed);
    if (kind === 'array') return isArray ? parsed : invalid;
    return parsed !== null && typeof parsed === 'object' && !isArray ? parsed : invalid;
  } catch {
    return invalid;
  }
}

function listCaster(field: Field): Cast {
  const delimiter = field.delimiter ?? ',';
  const item = casterFor({ name: field.name, type: field.itemType ?? 'string' });
  return (v) => {
    if (typeof v !== 'string') return invalid;
    const items = v === '' ? [] : v.split(delimiter).map((s) => item(s));
    return items.includes(invalid) ? invalid : items;
  };
}

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= days;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Dates are cast to "YYYY-MM-DD" text, which compares like the dates it names. */
function dateCaster(format: string): Cast {
  if (format === 'default') {
    return (v) => {
      const m = isoDate.exec(String(v));
      return m && validDate(Number(m[1]), Number(m[2]), Number(m[3])) ? String(v) : invalid;
    };
  }
  if (format === 'any') {
    return (v) => {
      const s = String(v).trim();
      const iso = isoDate.exec(s) ?? isoDatetime.exec(s);
      const fr = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
      const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : fr ? [fr[3], fr[2], fr[1]] : [];
      if (!y || !validDate(Number(y), Number(m), Number(d))) return invalid;
      return `${y}-${pad(Number(m))}-${pad(Number(d))}`;
    };
  }
  const parse = strptime(format);
  return (v) => {
    const p = parse(String(v));
    return p && validDate(p.year, p.month, p.day)
      ? `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`
      : invalid;
  };
}

/** Times are cast to seconds since midnight. */
function timeCaster(format: string): Cast {
  const parse =
    format === 'default' || format === 'any'
      ? (s: string) => {
          const m = isoTime.exec(s) ?? (format === 'any' ? /^(\d{1,2}):(\d{2})()()$/.exec(s) : null);
          return m ? { hour: Number(m[1]), minute: Number(m[2]), second: Number(m[3] || 0) } : null;
        }
      : strptime(format);
  return (v) => {
    const p = parse(String(v));
    if (!p || p.hour > 23 || p.minute > 59 || p.second > 59) return invalid;
    return p.hour * 3600 + p.minute * 60 + p.second;
  };
}

/** Datetimes are cast to milliseconds since the epoch (UTC when no offset is given). */
function datetimeCaster(format: string): Cast {
  if (format === 'default' || format === 'any') {
    return (v) => {
      const s = String(v);
      const m =
        isoDatetime.exec(s) ??
        (format === 'any' ? /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?()()$/.exec(s) : null);
      if (!m || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) return invalid;
      if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] || 0) > 59) return invalid;
      const time = Date.parse(m[8] ? s : `${s.replace(' ', 'T')}${m[6] ? '' : ':00'}Z`);
      return Number.isNaN(time) ? invalid : time;
    };
  }
  const parse = strptime(format);
  return (v) => {
    const p = parse(String(v));
    if (!p || !validDate(p.year, p.month, p.day) || p.hour > 23 || p.minute > 59 || p.second > 59)
      return invalid;
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  };
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const directives: Record<string, [string, keyof Parts | null]> = {
  Y: ['(\\d{4})', 'year'],
  y: ['(\\d{2})', 'year'],
  m: ['(\\d{1,2})', 'month'],
  d: ['(\\d{1,2})', 'day'],
  H: ['(\\d{1,2})', 'hour'],
  M: ['(\\d{1,2})', 'minute'],
  S: ['(\\d{1,2})', 'second'],
  f: ['\\d{1,6}', null],
  z: ['(?:Z|[+-]\\d{2}:?\\d{2})', null],
  '%': ['%', null],
};

/** The Python strptime patterns used in published schemas ("%Y-%m-%d", "%d/%m/%Y %H:%M"…). */
export function strptime(format: string): (s: string) => Parts | null {
  const keys: (keyof Parts)[] = [];
  let source = '^';
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    const directive = c === '%' ? directives[format[i + 1] ?? ''] : undefined;
    if (directive) {
      source += directive[0];
      if (directive[1]) keys.push(directive[1]);
      i++;
    } else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const pattern = new RegExp(`${source}$`);
  const twoDigitYear = format.includes('%y');
  return (s) => {
    const m = pattern.exec(s);
    if (!m) return null;
    const parts: Parts = { year: 1900, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
    keys.forEach((key, i) => {
      parts[key] = Number(m[i + 1]);
    });
    if (twoDigitYear) parts.year += parts.year < 69 ? 2000 : 1900;
    return parts;
  };
}

/** A geopoint is cast to [lon, lat]; formats as in the spec: "lon, lat", [lon, lat], {lon, lat}. */
function geopointCaster(format: string): Cast {
  const inRange = (lon: number, lat: number) =>
    Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lon) <= 180 && Math.abs(lat) <= 90
      ? [lon, lat]
      : invalid;
  if (format === 'array') {
    return (v) => {
      const a = parseJsonOf(v, 'array') as unknown[] | typeof invalid;
      if (a === invalid || a.length !== 2 || typeof a[0] !== 'number' || typeof a[1] !== 'number')
        return invalid;
      return inRange(a[0], a[1]);
    };
  }
  if (format === 'object') {
    return (v) => {
      const o = parseJsonOf(v, 'object') as { lon?: unknown; lat?: unknown } | typeof invalid;
      if (o === invalid || typeof o.lon !== 'number' || typeof o.lat !== 'number') return invalid;
      return inRange(o.lon, o.lat);
    };
  }
  return (v) => {
    const m = /^\s*([+-]?\d+(?:\.\d+)?)\s*,\s*([+-]?\d+(?:\.\d+)?)\s*$/.exec(String(v));
    return m ? inRange(Number(m[1]), Number(m[2])) : invalid;
  };
}
