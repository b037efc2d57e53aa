/**
 * What the page keeps on the device, read from the test: browser-side expressions for
 * page.evaluate, shared by the offline specs.
 */

/** Browser-side expression: how many updates y-indexeddb holds in the named database. */
export function storedUpdates(name: string): string {
  return `new Promise((done) => {
    const open = indexedDB.open(${JSON.stringify(name)});
    open.onerror = () => done(0);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('updates')) return done(0);
      const count = db.transaction('updates').objectStore('updates').count();
      count.onsuccess = () => done(count.result);
      count.onerror = () => done(0);
    };
  })`;
}
