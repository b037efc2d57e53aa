import { describe, expect, it } from 'vitest';
import { canonicalBody, DEFAULT_BODY_CAPS, readProposalBody } from './body.ts';

const KEY = 'c6f1a1a2-7e0b-4f52-9d35-0a1b2c3d4e5f';

function codes(raw: string): string[] {
  const read = readProposalBody(raw);
  return read.ok ? [] : (read.error.issues ?? []).map((issue) => `${issue.path}:${issue.code}`);
}

describe('reading a proposal body', () => {
  it('a well-formed change is read, trimmed, with only known keys kept', () => {
    const read = readProposalBody(
      JSON.stringify({
        kind: 'change',
        rowId: 'r1',
        base: { name: 'Old' },
        proposed: { name: 'New', capacity: 3, open: true, note: null },
        comment: '  merci  ',
        contact: '',
        idempotencyKey: KEY,
        website: '',
      }),
    );
    expect(read).toEqual({
      ok: true,
      body: {
        kind: 'change',
        rowId: 'r1',
        base: { name: 'Old' },
        proposed: { name: 'New', capacity: 3, open: true, note: null },
        comment: 'merci',
        idempotencyKey: KEY,
      },
    });
  });

  it('what is not JSON, or not an object, is refused as invalid', () => {
    expect(codes('{"kind":')).toEqual([':not-json']);
    expect(codes('[1,2]')).toEqual([':not-an-object']);
  });

  it('each shape mistake is reported where it is', () => {
    expect(
      codes(
        JSON.stringify({
          kind: 'edit',
          proposed: { a: { nested: true }, b: Number.POSITIVE_INFINITY },
          idempotencyKey: 'short',
          extra: 1,
        }),
      ).sort(),
    ).toEqual([
      'extra:unknown-key',
      'idempotencyKey:invalid-idempotency-key',
      'kind:invalid-kind',
      'proposed.a:invalid-value',
    ]);
  });

  it('a change or a delete must name its row; a delete proposes no values; a change proposes something', () => {
    expect(codes(JSON.stringify({ kind: 'change', proposed: { a: '1' }, idempotencyKey: KEY }))).toEqual([
      'rowId:missing-row-id',
    ]);
    expect(
      codes(JSON.stringify({ kind: 'delete', rowId: 'r', proposed: { a: '1' }, idempotencyKey: KEY })),
    ).toEqual(['proposed:delete-with-values']);
    expect(codes(JSON.stringify({ kind: 'change', rowId: 'r', proposed: {}, idempotencyKey: KEY }))).toEqual([
      'proposed:nothing-proposed',
    ]);
  });

  it('a field named __proto__ stays data and cannot pollute objects', () => {
    const nested = readProposalBody(
      `{"kind":"create","proposed":{"__proto__":{"polluted":1}},"idempotencyKey":"${KEY}"}`,
    );
    expect(nested.ok).toBe(false);
    const flat = readProposalBody(`{"kind":"create","proposed":{"__proto__":"x"},"idempotencyKey":"${KEY}"}`);
    if (!flat.ok) throw new Error('unreadable');
    expect(Object.hasOwn(flat.body.proposed, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('over-long texts and too many fields are refused', () => {
    const long = 'é'.repeat(DEFAULT_BODY_CAPS.maxCommentLength + 1);
    expect(codes(JSON.stringify({ kind: 'delete', rowId: 'r', comment: long, idempotencyKey: KEY }))).toEqual(
      ['comment:too-long'],
    );
    const many = Object.fromEntries(
      Array.from({ length: DEFAULT_BODY_CAPS.maxFields + 1 }, (_, i) => [`f${i}`, i]),
    );
    expect(codes(JSON.stringify({ kind: 'create', proposed: many, idempotencyKey: KEY }))).toEqual([
      'proposed:too-many-fields',
    ]);
  });

  it('the size cap is counted in bytes before parsing', () => {
    const raw = new TextEncoder().encode(`{"comment":"${'€'.repeat(11_000)}"}`);
    expect(readProposalBody(raw)).toMatchObject({ ok: false, error: { code: 'proposal_too_large' } });
  });

  it('the same proposal written with keys in another order is the same proposal', () => {
    const a = readProposalBody(
      JSON.stringify({ kind: 'create', proposed: { a: 1, b: 2 }, idempotencyKey: KEY }),
    );
    const b = readProposalBody(
      JSON.stringify({ idempotencyKey: KEY, proposed: { b: 2, a: 1 }, kind: 'create' }),
    );
    if (!a.ok || !b.ok) throw new Error('unreadable');
    expect(canonicalBody(a.body)).toBe(canonicalBody(b.body));
  });
});
