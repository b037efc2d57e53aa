/**
 * Test helper: a client's Yjs document whose `set` returns the update its edit produced, as the
 * client would send it. One document per client, so its updates follow one another.
 */
import * as Y from 'yjs';

export interface EditingClient {
  doc: Y.Doc;
  set(key: string, value: unknown): Uint8Array;
}

export function editingClient(clientID: number): EditingClient {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  return {
    doc,
    set(key, value) {
      let update: Uint8Array | null = null;
      const capture = (u: Uint8Array) => {
        update = u;
      };
      doc.on('update', capture);
      doc.getMap('cells').set(key, value);
      doc.off('update', capture);
      if (update === null) throw new Error(`setting ${key} changed nothing`);
      return update;
    },
  };
}
