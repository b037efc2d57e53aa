/**
 * The sync relay: y-websocket rooms at `/sync/<room>` on ws + y-protocols, persisted through an
 * UpdateStore. Invariants: a client update is appended to the store before anyone else sees it;
 * a bad message closes only its own connection; an exception in a handler, listener or timer is
 * logged with its room and goes no further than that connection or room; a room with no client
 * leaves memory after `roomGraceMs` and is reloaded from the store on the next join.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  CLOSE_FORBIDDEN,
  CLOSE_GOING_AWAY,
  CLOSE_INTERNAL_ERROR,
  CLOSE_MALFORMED_MESSAGE,
  CLOSE_UNKNOWN_ROOM,
  parseRoomName,
  READ_ONLY_NOTICE,
} from '@datapatch/protocol';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { UpdateStore } from '../store/update-store.ts';
import { type AccessLevel, type Authorizer, allowEveryone } from './authorizer.ts';
import { GroupCommit } from './group-commit.ts';
import type { PresenceEntry } from './presence.ts';
import { encodePresenceEntries } from './presence.ts';
import { Room } from './room.ts';
import {
  awarenessMessage,
  type ClientMessage,
  permissionDeniedMessage,
  readClientMessage,
  syncStep1Message,
  syncStep2Message,
} from './sync-messages.ts';
import { binaryFrame } from './websocket-frame.ts';

export const SYNC_PATH_PREFIX = '/sync/';

export interface RelayOptions {
  store: UpdateStore;
  authorizer?: Authorizer;
  /** Largest websocket message accepted, in bytes; bigger ones close the connection (1009). */
  maxMessageBytes: number;
  /** How long an empty room stays in memory before it is evicted. */
  roomGraceMs: number;
  /** Compact a room's log once it holds this many updates. */
  compactAfterUpdates: number;
  /**
   * Called once a room's document is loaded, before any client sees it; what it writes is made
   * durable like a client update (the server delivers stored proposals to pending documents here).
   */
  onRoomLoaded?: (room: string, doc: Y.Doc) => void;
  /** Called with a room's document just before it leaves memory (e.g. to refresh summaries). */
  onRoomEvicted?: (room: string, doc: Y.Doc) => void | Promise<void>;
  /** The store failed to append: durability is lost, the process should stop. */
  onStoreFailure: (error: unknown) => void;
  /** What a module beside the relay (the cross-process bus, `bus/`) is told and asked. */
  hooks?: RelayHooks;
}

/**
 * Hooks for fan-out between processes, kept out of the relay's core. With `updateDurable`,
 * `applyRemoteUpdate` and `applyRemoteAwareness` another module keeps a room in step across
 * processes; `compactionLimit` keeps compaction to what this process holds.
 */
export interface RelayHooks {
  /** The room's document now holds exactly the store's rows up to `lastSeq` (load or rebuild). */
  roomOpened?(room: string, lastSeq: number): void;
  /** The room left memory; nothing more is applied to it. */
  roomClosed?(room: string): void;
  /** One of this process's updates is committed with `seq` (in seq order within a room). */
  updateDurable?(room: string, seq: number, update: Uint8Array): void;
  /** Presence changed on this process (not by `applyRemoteAwareness`). */
  awarenessChanged?(room: string, update: Uint8Array): void;
  /** This process holds every update of the room up to this seq: compaction never goes above. */
  compactionLimit?(room: string): number;
}

/** Origin of presence applied from another process, so it is not sent back out. */
const REMOTE = Symbol('remote process');

interface Member {
  ws: WebSocket;
  /** The upgraded connection under `ws`: broadcasts write their prebuilt frame to it. */
  socket: Duplex;
  /** Kept to ask the authorizer again when roles or settings change. */
  request: IncomingMessage;
  access: AccessLevel;
  toldReadOnly: boolean;
  alive: boolean;
}

type LoadedRoom = Room<Member>;

const PING_INTERVAL_MS = 30_000;

/**
 * Runs `run` and keeps any exception it throws from going further: logged with the room's name,
 * then `onError` (e.g. close that one connection). Every entry point of the relay (websocket
 * events, timers, commit callbacks, broadcasts, awareness events) goes through it, so that no
 * client can end the process or stop a room for the others.
 */
function contained(room: string | null, what: string, run: () => void, onError?: () => void): void {
  try {
    run();
  } catch (error) {
    console.error(`datapatch: ${what} failed in room ${room ?? '(none)'}`, error);
    if (onError) contained(room, `${what} (cleanup)`, onError);
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

export class SyncRelay {
  readonly #options: RelayOptions;
  readonly #authorizer: Authorizer;
  readonly #wss: WebSocketServer;
  readonly #commit: GroupCommit;
  readonly #rooms = new Map<string, { room: LoadedRoom; ready: Promise<void> }>();
  /** Background compactions and evictions, awaited by `settle`. */
  readonly #compactions = new Set<Promise<void>>();
  readonly #pinger: NodeJS.Timeout;
  #closing = false;

  constructor(options: RelayOptions) {
    this.#options = options;
    this.#authorizer = options.authorizer ?? allowEveryone;
    // No compression: `#sendToAll` writes prebuilt frames beside ws's own, which is sound only
    // while ws writes each frame at once (compression would queue them).
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxMessageBytes,
      perMessageDeflate: false,
    });
    this.#commit = new GroupCommit(options.store, options.onStoreFailure);
    this.#pinger = setInterval(() => contained(null, 'ping', () => this.#pingAll()), PING_INTERVAL_MS);
    this.#pinger.unref();
  }

  /** Takes over an HTTP upgrade on `/sync/<room>`; returns false for any other path. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const path = new URL(request.url ?? '/', 'http://relay').pathname;
    if (!path.startsWith(SYNC_PATH_PREFIX)) return false;
    let room: string | null;
    try {
      room = decodeURIComponent(path.slice(SYNC_PATH_PREFIX.length));
    } catch {
      room = null;
    }
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      this.#join(ws, socket, request, room).catch((error: unknown) => {
        console.error(`datapatch: join failed in room ${room}`, error);
        contained(room, 'closing after a failed join', () =>
          ws.close(CLOSE_INTERNAL_ERROR, 'room unavailable'),
        );
      });
    });
    return true;
  }

  /** Names of the rooms currently held in memory. */
  roomsInMemory(): string[] {
    return [...this.#rooms.keys()];
  }

  /**
   * Runs `read` on a room's document, loading it from the store when no client holds it; the
   * room then stays for `roomGraceMs` like one a client left, so paging requests reuse it.
   */
  async readDocument<T>(name: string, read: (doc: Y.Doc) => T): Promise<T> {
    if (this.#closing) throw Object.assign(new Error('relay closing'), { code: 'relay-closing' });
    const room = await this.#acquire(name);
    try {
      return read(room.doc);
    } finally {
      if (room.members.size === 0) this.#scheduleEviction(room);
    }
  }

  /**
   * Applies an update written by the server itself (an import) as a client's would be: durable
   * in the store before any client sees it; resolves once it is durable.
   */
  async applyServerUpdate(name: string, update: Uint8Array): Promise<void> {
    if (this.#closing) throw Object.assign(new Error('relay closing'), { code: 'relay-closing' });
    const room = await this.#acquire(name);
    try {
      if (!this.#acceptUpdate(room, null, update))
        throw Object.assign(new Error('server update refused'), { code: 'update-refused' });
      await this.#durable();
    } finally {
      if (room.members.size === 0) this.#scheduleEviction(room);
    }
  }

  /**
   * Runs `change` on the live documents of the rooms `names` (loaded when no client holds them),
   * all in the same tick; what it writes is stored and sent to the rooms' clients like a client
   * update. Resolves with `change`'s answer once that is durable (moderation over HTTP).
   */
  async changeDocuments<T>(names: readonly string[], change: (docs: Y.Doc[]) => T): Promise<T> {
    if (this.#closing) throw Object.assign(new Error('relay closing'), { code: 'relay-closing' });
    const rooms: LoadedRoom[] = [];
    try {
      for (const name of names) rooms.push(await this.#acquire(name));
      const result = this.#writeAsServer(rooms, () => change(rooms.map((room) => room.doc)));
      await this.#durable();
      return result;
    } finally {
      for (const room of rooms) if (room.members.size === 0) this.#scheduleEviction(room);
    }
  }

  /**
   * Applies an update another process already committed: into the room's document and out to
   * its members, not into the log. False when the room is not in memory (nothing applied).
   * 'as-sent' relays it as is (a live update); 'new-content' only what this room lacked.
   */
  applyRemoteUpdate(name: string, update: Uint8Array, relay: 'as-sent' | 'new-content'): boolean {
    const room = this.#rooms.get(name)?.room;
    if (!room?.loaded || room.backlog) return false;
    const result = room.applyClientUpdate(update, null, relay);
    if (!result.ok) {
      console.error(`datapatch: an update from another process was refused in room ${name}`);
      if (result.damaged) void this.#rebuildRoom(room);
      return false;
    }
    if (result.delta) this.#broadcast(room, null, result.delta);
    return true;
  }

  /** Applies presence announced on another process; its members get it like local presence. */
  applyRemoteAwareness(name: string, update: Uint8Array): void {
    const room = this.#rooms.get(name)?.room;
    if (!room?.loaded) return;
    try {
      awarenessProtocol.applyAwarenessUpdate(room.awareness, update, REMOTE);
    } catch {
      console.error(`datapatch: malformed presence from another process in room ${name}`);
    }
  }

  /**
   * Asks the authorizer again for every connection to the rooms `names` accepts (after a role or
   * a setting changed): 'none' closes with CLOSE_FORBIDDEN, 'read' drops their writes from now on.
   */
  async reauthorize(names: (room: string) => boolean): Promise<void> {
    for (const { room } of [...this.#rooms.values()]) {
      if (!names(room.name)) continue;
      for (const member of [...room.members]) {
        const access = await this.#authorizer(member.request, room.name);
        if (access === 'none') {
          member.ws.close(CLOSE_FORBIDDEN, 'forbidden');
          this.#leave(room, member);
          continue;
        }
        if (access === 'write') member.toldReadOnly = false;
        member.access = access;
      }
    }
  }

  /** Resolves once every update accepted so far is durable. */
  #durable(): Promise<void> {
    return new Promise<void>((resolve) => this.#commit.afterDurable(resolve));
  }

  /** `run` once what the room accepted so far is durable; its exceptions stay in this room. */
  #afterDurable(room: LoadedRoom, what: string, run: () => void): void {
    this.#commit.afterDurable(() => contained(room.name, what, run));
  }

  /** Runs `write` on the rooms' documents and persists and broadcasts what it changed. */
  #writeAsServer<T>(rooms: readonly LoadedRoom[], write: () => T): T {
    const captured = rooms.map(() => [] as Uint8Array[]);
    const listeners = rooms.map((room, i) => {
      const listener = (update: Uint8Array) => captured[i]!.push(update);
      room.doc.on('update', listener);
      return listener;
    });
    try {
      return write();
    } finally {
      rooms.forEach((room, i) => {
        room.doc.off('update', listeners[i]!);
        const updates = captured[i]!;
        if (updates.length > 0) {
          this.#persistApplied(room, updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates));
        }
      });
    }
  }

  /** Queues `update` for the room's durable log and keeps the room's log bookkeeping. */
  #appendToLog(room: LoadedRoom, update: Uint8Array): void {
    room.uncommitted++;
    // Contained here: an exception reaching the group commit would count as a store failure.
    this.#commit.append(room.name, update, (seq) =>
      contained(room.name, 'log bookkeeping', () => {
        this.#options.hooks?.updateDurable?.(room.name, seq, update);
        room.uncommitted--;
        room.lastSeq = Math.max(room.lastSeq, seq);
        room.logLength++;
        if (this.#compactionDue(room)) this.#scheduleCompaction(room);
      }),
    );
  }

  /** Stores and broadcasts an update the room's document already holds (a server write). */
  #persistApplied(room: LoadedRoom, update: Uint8Array): void {
    this.#appendToLog(room, update);
    this.#afterDurable(room, 'broadcast', () => this.#broadcast(room, null, update));
  }

  /**
   * Queues a durable update for the room's members. The commit's other updates join it before
   * the batch leaves (in a microtask, after every action of that commit ran).
   */
  #broadcast(room: LoadedRoom, author: Member | null, update: Uint8Array): void {
    if (!room.broadcast.add(author, update)) return;
    queueMicrotask(() =>
      contained(room.name, 'broadcast', () =>
        room.broadcast.flush((message, except) => this.#sendToAll(room, message, except)),
      ),
    );
  }

  #track(room: LoadedRoom, what: string, task: Promise<void>): void {
    const tracked = task
      .catch((error: unknown) => console.error(`datapatch: ${what} failed in room ${room.name}`, error))
      .finally(() => this.#compactions.delete(tracked));
    this.#compactions.add(tracked);
  }

  /** Resolves once every accepted update is durable and background compactions are done. */
  async settle(): Promise<void> {
    await this.#commit.drain();
    while (this.#compactions.size > 0) await Promise.all([...this.#compactions]);
  }

  async close(): Promise<void> {
    this.#closing = true;
    clearInterval(this.#pinger);
    for (const client of this.#wss.clients) client.close(CLOSE_GOING_AWAY, 'server shutting down');
    await this.#commit.drain();
    for (const { room, ready } of [...this.#rooms.values()]) {
      await ready.catch(() => undefined);
      await this.#evict(room);
    }
    await this.settle();
    for (const client of this.#wss.clients) client.terminate();
    this.#wss.close();
  }

  async #join(
    ws: WebSocket,
    socket: Duplex,
    request: IncomingMessage,
    roomName: string | null,
  ): Promise<void> {
    if (this.#closing) return ws.close(CLOSE_GOING_AWAY, 'server shutting down');
    if (roomName === null || parseRoomName(roomName) === null)
      return ws.close(CLOSE_UNKNOWN_ROOM, 'unknown room');
    const member: Member = {
      ws,
      socket,
      request,
      access: 'none',
      toldReadOnly: false,
      alive: true,
    };
    // Messages may arrive while the authorizer runs and the room loads: keep them, in order.
    let backlog: Uint8Array[] | null = [];
    let room: LoadedRoom | null = null;
    const closeInternal = () => ws.close(CLOSE_INTERNAL_ERROR, 'internal error');
    ws.on('message', (data, isBinary) =>
      contained(
        roomName,
        'message',
        () => {
          // A connection refused a moment ago may still deliver what was already buffered.
          if (ws.readyState !== WebSocket.OPEN) return;
          if (!isBinary) return this.#refuse(member, 'text frame');
          const bytes = toBytes(data);
          if (backlog) backlog.push(bytes);
          else if (room) this.#receive(room, member, bytes);
        },
        closeInternal,
      ),
    );
    ws.on('pong', () => {
      member.alive = true;
    });
    ws.on('error', () => contained(roomName, 'socket error', () => ws.terminate()));
    ws.on('close', () =>
      contained(roomName, 'leave', () => {
        backlog = null;
        if (room) this.#leave(room, member);
      }),
    );
    try {
      member.access = await this.#authorizer(request, roomName);
      if (member.access === 'none') return ws.close(CLOSE_FORBIDDEN, 'forbidden');
      const loaded = await this.#acquire(roomName);
      if (ws.readyState !== WebSocket.OPEN) {
        if (loaded.members.size === 0) this.#scheduleEviction(loaded);
        return;
      }
      room = loaded;
      room.members.add(member);
      this.#greet(room, member);
      const pending = backlog ?? [];
      backlog = null;
      for (const bytes of pending) this.#receive(room, member, bytes);
    } catch (error) {
      console.error(`datapatch: could not open room ${roomName}`, error);
      ws.close(CLOSE_INTERNAL_ERROR, 'room unavailable');
    }
  }

  #greet(room: LoadedRoom, member: Member): void {
    // Sync step 1 and the current presences, sent once what the room holds is durable.
    // awarenessMessage never throws: one client's presence cannot keep others out of the room.
    const step1 = syncStep1Message(room.doc);
    const presences = [...room.awareness.getStates().keys()];
    const awareness = presences.length > 0 ? awarenessMessage(room.awareness, presences) : null;
    this.#afterDurable(room, 'greeting', () => {
      this.#send(member, step1);
      if (awareness) this.#send(member, awareness);
    });
  }

  async #acquire(name: string): Promise<LoadedRoom> {
    let entry = this.#rooms.get(name);
    if (!entry) {
      const room: LoadedRoom = new Room<Member>(name);
      this.#watchAwareness(room);
      const ready = this.#options.store.loadRoom(name).then((stored) => {
        room.load(stored.updates, stored.lastSeq);
        room.loaded = true;
        this.#options.hooks?.roomOpened?.(name, stored.lastSeq);
        const onLoaded = this.#options.onRoomLoaded;
        if (onLoaded) this.#writeAsServer([room], () => onLoaded(name, room.doc));
        if (this.#compactionDue(room)) this.#scheduleCompaction(room);
      });
      entry = { room, ready };
      this.#rooms.set(name, entry);
      ready.catch(() =>
        contained(name, 'discarding a room that failed to load', () => {
          if (this.#rooms.get(name)?.room === room) this.#rooms.delete(name);
          room.destroy();
        }),
      );
    }
    if (entry.room.evictionTimer) {
      clearTimeout(entry.room.evictionTimer);
      entry.room.evictionTimer = null;
    }
    await entry.ready;
    return entry.room;
  }

  /**
   * Relays every presence change (a member's, a leave, y-protocols' 30 s timeout) and keeps the
   * room's record of who holds which awareness client id.
   */
  #watchAwareness(room: LoadedRoom): void {
    room.awareness.on(
      'update',
      (
        { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
        origin: unknown,
      ) =>
        contained(room.name, 'presence update', () => {
          // Encoded before the removed ids' clocks are forgotten: clients need them to drop those.
          const changed = [...added, ...updated, ...removed];
          const message = awarenessMessage(room.awareness, changed);
          // Other processes time their copies out themselves; what came from them stays here.
          const outbound =
            origin !== REMOTE && origin !== 'timeout' && this.#options.hooks?.awarenessChanged
              ? awarenessProtocol.encodeAwarenessUpdate(room.awareness, changed)
              : null;
          const member = origin as Member | null;
          if (member && room.members.has(member)) {
            for (const id of [...added, ...updated]) room.presence.claim(member, id);
          }
          for (const id of removed) {
            room.presence.release(id);
            // y-protocols keeps a clock per id forever; one connection could grow it without end.
            if (!room.awareness.states.has(id)) room.awareness.meta.delete(id);
          }
          // Everyone, the sender included: y-websocket providers count it as a sign of life.
          this.#sendToAll(room, message);
          if (outbound) this.#options.hooks?.awarenessChanged?.(room.name, outbound);
        }),
    );
  }

  #receive(room: LoadedRoom, member: Member, bytes: Uint8Array): void {
    if (room.backlog) {
      room.backlog.push({ member, bytes });
      return;
    }
    contained(
      room.name,
      'message',
      () => {
        const message = readClientMessage(bytes);
        if (message === null) this.#refuse(member, 'malformed message');
        else this.#handle(room, member, message);
      },
      () => member.ws.close(CLOSE_INTERNAL_ERROR, 'internal error'),
    );
  }

  #handle(room: LoadedRoom, member: Member, message: ClientMessage): void {
    switch (message.kind) {
      case 'sync-step-1': {
        const reply = syncStep2Message(room.doc, message.stateVector);
        this.#afterDurable(room, 'sync reply', () => this.#send(member, reply));
        return;
      }
      case 'sync-step-2':
      case 'update':
        if (member.access !== 'write') this.#dropWrite(member);
        else
          this.#acceptUpdate(
            room,
            member,
            message.update,
            message.kind === 'update' ? 'as-sent' : 'new-content',
          );
        return;
      case 'awareness':
        this.#applyPresence(room, member, message.update, message.entries);
        return;
      case 'query-awareness': {
        const ids = [...room.awareness.getStates().keys()];
        this.#send(member, awarenessMessage(room.awareness, ids));
        return;
      }
    }
  }

  /**
   * Applies what `member` may change of an awareness update already read and checked: its own
   * ids, and new ids nobody holds; entries about another connection's ids are dropped. Holding
   * more ids than allowed closes it as malformed, with nothing applied.
   */
  #applyPresence(room: LoadedRoom, member: Member, update: Uint8Array, entries: PresenceEntry[]): void {
    const admitted = room.presence.admit(member, entries);
    if (!admitted.ok) {
      this.#refuse(member, 'too many presences');
      return;
    }
    if (admitted.entries.length === 0) return;
    const allowed =
      admitted.entries.length === entries.length ? update : encodePresenceEntries(admitted.entries);
    awarenessProtocol.applyAwarenessUpdate(room.awareness, allowed, member);
  }

  #dropWrite(member: Member): void {
    if (member.toldReadOnly) return;
    member.toldReadOnly = true;
    this.#send(member, permissionDeniedMessage(READ_ONLY_NOTICE));
  }

  /** `member` null: the server's own update. False when Yjs refused it. */
  #acceptUpdate(
    room: LoadedRoom,
    member: Member | null,
    update: Uint8Array,
    relay: 'new-content' | 'as-sent' = 'new-content',
  ): boolean {
    const result = room.applyClientUpdate(update, member, relay);
    if (!result.ok) {
      if (member) this.#refuse(member, 'malformed update');
      if (result.damaged)
        this.#rebuildRoom(room).catch((error: unknown) =>
          console.error(`datapatch: rebuilding failed in room ${room.name}`, error),
        );
      return false;
    }
    if (!result.persist) return true;
    this.#appendToLog(room, update);
    const delta = result.delta;
    if (delta === null) return true;
    this.#afterDurable(room, 'broadcast', () => this.#broadcast(room, member, delta));
    return true;
  }

  /**
   * Yjs threw half-way through an update: the in-memory document may hold part of it. Rebuild
   * it from the durable log (which never received that update) once pending appends are on disk;
   * clients stay connected and their messages wait meanwhile.
   */
  async #rebuildRoom(room: LoadedRoom): Promise<void> {
    if (room.backlog) return;
    room.backlog = [];
    try {
      await this.#commit.drain();
      const stored = await this.#options.store.loadRoom(room.name);
      room.replaceDocument(stored.updates, stored.lastSeq);
      this.#options.hooks?.roomOpened?.(room.name, stored.lastSeq);
    } catch (error) {
      console.error(`datapatch: could not rebuild room ${room.name}`, error);
      for (const member of room.members) member.ws.close(CLOSE_INTERNAL_ERROR, 'room unavailable');
    }
    const waiting = room.backlog;
    room.backlog = null;
    for (const { member, bytes } of waiting) {
      // #receive contains its own failures.
      if (room.members.has(member) && member.ws.readyState === WebSocket.OPEN)
        this.#receive(room, member, bytes);
    }
  }

  #leave(room: LoadedRoom, member: Member): void {
    if (!room.members.delete(member)) return;
    contained(room.name, 'removing a presence', () => {
      const ids = room.presence.idsOf(member);
      if (ids.length > 0) awarenessProtocol.removeAwarenessStates(room.awareness, ids, null);
      for (const id of ids) room.presence.release(id);
    });
    if (room.members.size === 0) this.#scheduleEviction(room);
  }

  #scheduleEviction(room: LoadedRoom): void {
    if (this.#closing || room.evictionTimer || this.#rooms.get(room.name)?.room !== room) return;
    room.evictionTimer = setTimeout(
      () =>
        contained(room.name, 'eviction', () => {
          room.evictionTimer = null;
          if (room.members.size === 0) this.#track(room, 'eviction', this.#evict(room));
        }),
      this.#options.roomGraceMs,
    );
  }

  async #evict(room: LoadedRoom): Promise<void> {
    if (this.#rooms.get(room.name)?.room !== room) return;
    if (room.uncommitted > 0) {
      // Wait for this room's updates to be on disk, so the compacted state covers them all.
      return this.#durable().then(() => this.#evict(room));
    }
    this.#rooms.delete(room.name);
    if (room.evictionTimer) clearTimeout(room.evictionTimer);
    for (const member of room.members)
      contained(room.name, 'closing for eviction', () => member.ws.close(CLOSE_GOING_AWAY, 'room closed'));
    try {
      if (room.logLength > 1 && !room.compacting) await this.#compact(room);
      await this.#options.onRoomEvicted?.(room.name, room.doc);
    } catch (error) {
      console.error(`datapatch: could not compact room ${room.name} before eviction`, error);
    } finally {
      this.#options.hooks?.roomClosed?.(room.name);
      room.destroy();
    }
  }

  /**
   * A room is compacted from its document at a moment when nothing of it is waiting for disk
   * (no store read, no merge on the event loop); a room that never has such a moment is merged
   * from the store once its log reaches twice the threshold.
   */
  #compactionDue(room: LoadedRoom): boolean {
    const threshold = this.#options.compactAfterUpdates;
    return room.logLength >= 2 * threshold || (room.logLength >= threshold && room.uncommitted === 0);
  }

  #scheduleCompaction(room: LoadedRoom): void {
    if (room.compacting) return;
    room.compacting = true;
    let compacted = false;
    const task = new Promise<void>((resolve) => setImmediate(resolve))
      .then(async () => {
        // An update may have arrived meanwhile: then the next commit of this room asks again.
        if (this.#rooms.get(room.name)?.room === room && this.#compactionDue(room))
          compacted = await this.#compact(room);
      })
      .catch((error: unknown) => console.error(`datapatch: compaction of ${room.name} failed`, error))
      .finally(() => {
        room.compacting = false;
        this.#compactions.delete(task);
        // Appends that committed during a slow compaction (PostgreSQL) may leave the log due
        // again with no append to come that would ask: ask now, while compacting still helps.
        if (compacted && this.#rooms.get(room.name)?.room === room && this.#compactionDue(room))
          this.#scheduleCompaction(room);
      });
    this.#compactions.add(task);
  }

  /**
   * Replaces the room's log by one update holding its whole state; content is unchanged.
   * Resolves true when it replaced rows (false: nothing to merge, or a backlog to wait for).
   */
  async #compact(room: LoadedRoom): Promise<boolean> {
    if (room.backlog) return false;
    // Only durable content may go into the merged update. When the document holds nothing more
    // than the log, its garbage-collected state is the smallest merge; while updates of this
    // room are on their way to disk (a busy room), merge what the store holds instead.
    const fromDocument = room.uncommitted === 0;
    const stored = fromDocument ? null : await this.#options.store.loadRoom(room.name);
    // From the document: only up to what this process holds of every process's updates.
    const hooks = this.#options.hooks;
    const upToSeq = stored
      ? stored.lastSeq
      : hooks?.compactionLimit
        ? hooks.compactionLimit(room.name)
        : room.lastSeq;
    const covered = stored ? stored.updates.length : room.logLength;
    if (covered < 2) return false;
    const merged = stored ? Y.mergeUpdates(stored.updates) : Y.encodeStateAsUpdate(room.doc);
    const seq = await this.#options.store.compact(room.name, merged, upToSeq);
    room.lastSeq = Math.max(room.lastSeq, seq);
    // Appends that landed while the compaction was in flight are not covered by it.
    room.logLength = Math.max(1, room.logLength - covered + 1);
    return seq > 0;
  }

  #refuse(member: Member, reason: string): void {
    member.ws.close(CLOSE_MALFORMED_MESSAGE, reason);
  }

  #send(member: Member, message: Uint8Array): void {
    if (member.ws.readyState !== WebSocket.OPEN) return;
    // No callback per send (one closure less per member and update): a failed write errors the
    // socket, ws then destroys it and emits 'close', which removes the member.
    member.ws.send(message);
  }

  /**
   * Sends one message to many: framed once, then one plain write per member, in order with what
   * `ws` itself sends (it writes each of its frames synchronously, as nothing is compressed).
   */
  #sendToAll(room: LoadedRoom, message: Uint8Array, except?: Member | null): void {
    let frame: Buffer | null = null;
    for (const member of room.members) {
      if (member === except || member.ws.readyState !== WebSocket.OPEN) continue;
      frame ??= binaryFrame(message);
      // One member's broken socket must not keep the message from the ones after it (inline, not
      // `contained`: no closure per member on the relay's hottest path).
      try {
        member.socket.write(frame);
      } catch (error) {
        console.error(`datapatch: send failed in room ${room.name}`, error);
      }
    }
  }

  #pingAll(): void {
    for (const { room } of this.#rooms.values()) {
      for (const member of room.members) {
        contained(room.name, 'ping', () => {
          if (!member.alive) return member.ws.terminate();
          member.alive = false;
          member.ws.ping();
        });
      }
    }
  }
}
