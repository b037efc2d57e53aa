import { describe, expect, it } from 'vitest';
import { loadReasons, MAX_SAVED, rememberReason, saveReasons } from './reasons.ts';

describe('reusable rejection reasons', () => {
  it('puts the last one used first, once', () => {
    expect(rememberReason(['Doublon', 'Hors sujet'], ' Hors sujet ')).toEqual(['Hors sujet', 'Doublon']);
    expect(rememberReason(['Doublon'], '   ')).toEqual(['Doublon']);
  });

  it('keeps a bounded list across visits, and survives a corrupted store', () => {
    let list: string[] = [];
    for (let i = 0; i < MAX_SAVED + 5; i++) list = rememberReason(list, `r${i}`);
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => store.set(k, v),
    };
    saveReasons(storage, list);
    expect(loadReasons(storage)).toHaveLength(MAX_SAVED);
    expect(loadReasons(storage)[0]).toBe(`r${MAX_SAVED + 4}`);
    store.set('datapatch:rejectReasons', '{oops');
    expect(loadReasons(storage)).toEqual([]);
  });
});
