/**
 * Test helper: seeded messages for fuzzing the relay's websocket protocol. Each message starts as
 * a well-framed y-websocket message of some kind (sync step 1/2, update, awareness, auth, query,
 * unknown type) or as random bytes, and is then often mutated (bits, truncation, extension, huge
 * or wrong declared lengths, overlong varints). Invariant: the choices depend only on the seed and
 * the document the attacker mirrors, never on what the server answers, so a seed replays a run.
 */
import * as encoding from 'lib0/encoding';
import * as prng from 'lib0/prng';
import * as Y from 'yjs';

export type FuzzKind =
  | 'sync-step-1'
  | 'sync-step-2'
  | 'update'
  | 'awareness'
  | 'auth'
  | 'query-awareness'
  | 'unknown-type'
  | 'random-bytes'
  | 'text';

export interface FuzzMessage {
  kind: FuzzKind;
  mutated: boolean;
  payload: Uint8Array | string;
}

/** Weighted towards messages an honest client sends, so that later messages of a connection run too. */
const KINDS: FuzzKind[] = [
  ...Array<FuzzKind>(2).fill('sync-step-1'),
  ...Array<FuzzKind>(2).fill('sync-step-2'),
  ...Array<FuzzKind>(5).fill('update'),
  ...Array<FuzzKind>(3).fill('awareness'),
  'query-awareness',
  'auth',
  'unknown-type',
  'random-bytes',
  'text',
];

/** Numbers decoders meet at their edges: zero, byte and varint boundaries, 2^31, 2^32, 2^53 - 1. */
const EDGE_NUMBERS = [
  0,
  1,
  127,
  128,
  16_383,
  16_384,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32 - 1,
  2 ** 32,
  Number.MAX_SAFE_INTEGER,
];

export class ProtocolFuzzer {
  readonly #gen: prng.PRNG;
  /** The attacker's copy of the room's document: its edits are real Yjs updates on real content. */
  readonly #mirror: Y.Doc;
  /** Awareness client ids of honest clients, to try to overwrite and remove. */
  readonly #othersIds: number[];

  constructor(seed: number, roomState: Uint8Array, othersIds: number[]) {
    this.#gen = prng.create(seed);
    this.#mirror = new Y.Doc();
    this.#mirror.clientID = prng.uint32(this.#gen, 1, 2 ** 32 - 1);
    Y.applyUpdate(this.#mirror, roomState);
    this.#othersIds = othersIds;
  }

  int(min: number, max: number): number {
    return prng.int53(this.#gen, min, max);
  }

  chance(p: number): boolean {
    return prng.real53(this.#gen) < p;
  }

  pick<T>(items: readonly T[]): T {
    return prng.oneOf(this.#gen, items as T[]);
  }

  message(): FuzzMessage {
    const kind = this.pick(KINDS);
    if (kind === 'text') return { kind, mutated: false, payload: prng.utf16String(this.#gen, 40) };
    const framed = this.#framed(kind);
    const mutate = kind !== 'random-bytes' && this.chance(0.3);
    return { kind, mutated: mutate, payload: mutate ? this.#mutate(framed) : framed };
  }

  destroy(): void {
    this.#mirror.destroy();
  }

  #bytes(max: number): Uint8Array {
    return prng.uint8Array(this.#gen, this.int(0, max));
  }

  #number(): number {
    return this.chance(0.5) ? this.pick(EDGE_NUMBERS) : this.int(0, 1000);
  }

  /** A length prefix as declared: usually exact, sometimes off by one, zero or huge. */
  #declaredLength(actual: number): number {
    if (this.chance(0.9)) return actual;
    return this.pick([Math.max(0, actual - 1), actual + 1, 0, 2 ** 31, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER]);
  }

  #writeBytes(encoder: encoding.Encoder, bytes: Uint8Array): void {
    encoding.writeVarUint(encoder, this.#declaredLength(bytes.length));
    encoding.writeUint8Array(encoder, bytes);
  }

  #framed(kind: Exclude<FuzzKind, 'text'>): Uint8Array {
    const encoder = encoding.createEncoder();
    switch (kind) {
      case 'sync-step-1':
        encoding.writeVarUint(encoder, 0);
        encoding.writeVarUint(encoder, 0);
        this.#writeBytes(encoder, this.#stateVector());
        break;
      case 'sync-step-2':
      case 'update':
        encoding.writeVarUint(encoder, 0);
        encoding.writeVarUint(encoder, kind === 'update' ? 2 : 1);
        this.#writeBytes(encoder, this.#update());
        break;
      case 'awareness':
        encoding.writeVarUint(encoder, 1);
        this.#writeBytes(encoder, this.#awarenessUpdate());
        break;
      case 'auth':
        encoding.writeVarUint(encoder, 2);
        encoding.writeVarUint(encoder, this.chance(0.7) ? 0 : this.#number());
        encoding.writeVarString(encoder, prng.utf16String(this.#gen, 30));
        break;
      case 'query-awareness':
        encoding.writeVarUint(encoder, 3);
        break;
      case 'unknown-type':
        encoding.writeVarUint(encoder, this.pick([4, 5, 100, 2 ** 32, Number.MAX_SAFE_INTEGER]));
        encoding.writeUint8Array(encoder, this.#bytes(32));
        break;
      case 'random-bytes':
        encoding.writeUint8Array(encoder, this.#bytes(this.chance(0.05) ? 70_000 : 200));
        break;
    }
    return encoding.toUint8Array(encoder);
  }

  #stateVector(): Uint8Array {
    if (this.chance(0.5)) return Y.encodeStateVector(this.#mirror);
    const encoder = encoding.createEncoder();
    const entries = this.int(0, 4);
    encoding.writeVarUint(encoder, entries);
    for (let i = 0; i < entries; i++) {
      encoding.writeVarUint(encoder, this.#number());
      encoding.writeVarUint(encoder, this.#number());
    }
    return encoding.toUint8Array(encoder);
  }

  /** A Yjs update: mostly real edits of the mirrored content (deletions, overwrites), else odd ones. */
  #update(): Uint8Array {
    switch (this.int(0, 5)) {
      case 0:
      case 1:
      case 2:
        return this.#edit();
      case 3:
        // Everything the attacker holds, deletions included.
        return Y.encodeStateAsUpdate(this.#mirror);
      case 4: {
        // Another writer claiming the clock range of an existing client.
        const forger = new Y.Doc();
        const clients = [...Y.decodeStateVector(Y.encodeStateVector(this.#mirror)).keys()];
        if (clients.length > 0) forger.clientID = this.pick(clients);
        forger.getMap('cells').set(`forged-${this.int(0, 99)}`, this.#number());
        const update = this.chance(0.5) ? Y.encodeStateAsUpdate(forger) : Y.encodeStateAsUpdateV2(forger);
        forger.destroy();
        return update;
      }
      default:
        return this.#bytes(120);
    }
  }

  /** A real edit of the mirror: delete or overwrite existing content, or add some. */
  #edit(): Uint8Array {
    const updates: Uint8Array[] = [];
    const capture = (update: Uint8Array) => updates.push(update);
    this.#mirror.on('update', capture);
    try {
      const operations = this.int(1, 4);
      for (let i = 0; i < operations; i++) this.#operation();
    } finally {
      this.#mirror.off('update', capture);
    }
    if (updates.length === 0) return Y.encodeStateAsUpdate(this.#mirror);
    return updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
  }

  #operation(): void {
    const name = this.pick(['meta', 'cells', 'deleted', 'proposals', 'fields', 'chunks', 'changelog']);
    if (name === 'fields' || name === 'chunks' || name === 'changelog') {
      const array = this.#mirror.getArray<unknown>(name);
      if (array.length > 0 && this.chance(0.7)) {
        const at = this.int(0, array.length - 1);
        array.delete(at, this.int(1, array.length - at));
      } else array.insert(this.int(0, array.length), [this.#jsonValue(2)]);
      return;
    }
    const map = this.#mirror.getMap<unknown>(name);
    const keys = [...map.keys()];
    const key = keys.length > 0 && this.chance(0.8) ? this.pick(keys) : `k${this.int(0, 50)}`;
    const value = map.get(key);
    if (value instanceof Y.Map && this.chance(0.6)) {
      const inner = [...value.keys()];
      const innerKey = inner.length > 0 ? this.pick(inner) : 'x';
      if (this.chance(0.5)) value.delete(innerKey);
      else value.set(innerKey, this.#jsonValue(2));
    } else if (this.chance(0.5)) map.delete(key);
    else map.set(key, this.#jsonValue(2));
  }

  #jsonValue(depth: number): unknown {
    switch (this.int(0, depth > 0 ? 5 : 3)) {
      case 0:
        return null;
      case 1:
        return this.#number();
      case 2:
        return prng.utf16String(this.#gen, 30);
      case 3:
        return this.chance(0.5);
      case 4:
        return Array.from({ length: this.int(0, 3) }, () => this.#jsonValue(depth - 1));
      default:
        return Object.fromEntries(
          Array.from({ length: this.int(0, 3) }, () => [
            prng.word(this.#gen, 1, 8),
            this.#jsonValue(depth - 1),
          ]),
        );
    }
  }

  #awarenessUpdate(): Uint8Array {
    const encoder = encoding.createEncoder();
    const entries = this.chance(0.9) ? this.int(0, 3) : this.int(4, 40);
    encoding.writeVarUint(encoder, entries);
    for (let i = 0; i < entries; i++) {
      const others = this.#othersIds;
      encoding.writeVarUint(
        encoder,
        others.length > 0 && this.chance(0.4)
          ? this.pick(others)
          : this.chance(0.5)
            ? this.int(1, 20)
            : this.#number(),
      );
      encoding.writeVarUint(encoder, this.chance(0.3) ? this.pick(EDGE_NUMBERS) : this.int(0, 20));
      encoding.writeVarString(encoder, this.#presenceJson());
    }
    return encoding.toUint8Array(encoder);
  }

  /** The JSON text of a presence: honest ones, and every shape the relay must refuse. */
  #presenceJson(): string {
    switch (this.int(0, 9)) {
      case 0:
        return 'null';
      case 1:
        return JSON.stringify({ user: { id: prng.word(this.#gen), color: '#c00' }, cursor: { row: 'r1' } });
      case 2: {
        const depth = this.pick([15, 16, 17, 100, 5_000, 50_000]);
        return `{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      }
      case 3:
        return JSON.stringify({ name: 'x'.repeat(this.pick([100, 8_000, 8_200, 60_000])) });
      case 4:
        return this.pick([
          '[]',
          '1',
          '"s"',
          'true',
          '{',
          '',
          '{"a":1}}',
          '{"__proto__":{"x":1}}',
          '{"n":1e999}',
        ]);
      case 5:
        return `{"n":[${Array(this.int(1, 2000)).fill('1e20').join(',')}]}`;
      case 6:
        return prng.utf16String(this.#gen, 60);
      default:
        return JSON.stringify(this.#jsonValue(3) ?? {});
    }
  }

  #mutate(message: Uint8Array): Uint8Array {
    let bytes = message;
    const insert = (at: number, inserted: Uint8Array) =>
      Buffer.concat([bytes.subarray(0, at), inserted, bytes.subarray(at)]);
    const mutations = this.int(1, 3);
    for (let m = 0; m < mutations; m++) {
      const at = this.int(0, bytes.length);
      switch (this.int(0, 6)) {
        case 0:
          if (bytes.length > 0) {
            const i = Math.min(at, bytes.length - 1);
            bytes = bytes.slice();
            bytes[i] = bytes[i]! ^ (1 << this.int(0, 7));
          }
          break;
        case 1:
          bytes = bytes.slice(0, at);
          break;
        case 2:
          bytes = Buffer.concat([bytes, this.#bytes(16)]);
          break;
        case 3: {
          // A varint that never ends, or one far too long.
          const run = Array<number>(this.int(1, 12)).fill(0xff);
          bytes = insert(at, new Uint8Array(this.chance(0.5) ? [...run, 0x7f] : run));
          break;
        }
        case 4: {
          const huge = encoding.createEncoder();
          encoding.writeVarUint(huge, this.pick(EDGE_NUMBERS));
          bytes = insert(at, encoding.toUint8Array(huge));
          break;
        }
        case 5:
          // An overlong encoding of a small number: 0x80 continuation bytes before the end.
          bytes = insert(at, new Uint8Array([0x80, 0x80, 0x00]));
          break;
        default:
          // Two messages in one frame.
          bytes = Buffer.concat([bytes, message]);
      }
    }
    return new Uint8Array(bytes);
  }
}
