import { describe, expect, it } from 'vitest';
import { normaliseKeyPart, recordKey } from './recordKey.ts';

describe('recordKey', () => {
  it('matches keys written with other spaces, case, Unicode form or leading zeros', () => {
    expect(recordKey({ id: ' FS-01 ' }, ['id'])).toBe(recordKey({ id: 'fs-01' }, ['id']));
    expect(recordKey({ id: 'Mairie  de\tSaint-Éloi' }, ['id'])).toBe(
      recordKey({ id: 'mairie de saint-e\u0301loi' }, ['id']),
    );
    expect(recordKey({ id: '0042' }, ['id'])).toBe(recordKey({ id: 42 }, ['id']));
  });

  it('keeps keys apart that differ in anything else', () => {
    expect(recordKey({ id: 'FS-01' }, ['id'])).not.toBe(recordKey({ id: 'FS-1' }, ['id']));
    expect(normaliseKeyPart('0')).toBe('0');
  });

  it('joins composite keys so that parts cannot slide into each other', () => {
    const a = recordKey({ dep: '01', nom: 'ab c' }, ['dep', 'nom']);
    const b = recordKey({ dep: '01 ab', nom: 'c' }, ['dep', 'nom']);
    expect(a).not.toBe(b);
    expect(recordKey({ dep: 1, nom: 'AB C' }, ['dep', 'nom'])).toBe(a);
  });

  it('gives no key when a part is empty, so such records never match', () => {
    expect(recordKey({ id: '  ' }, ['id'])).toBeNull();
    expect(recordKey({ id: 'x', dep: null }, ['id', 'dep'])).toBeNull();
    expect(recordKey({}, ['id'])).toBeNull();
  });
});
