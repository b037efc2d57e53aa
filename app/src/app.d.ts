// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
  namespace App {
    /** What a navigation carries to the next page (`goto(url, { state })`), kept in history. */
    interface PageState {
      /** The wizard just created this dataset: the grid confirms it. */
      created?: { title: string; rows: number };
    }
  }
}

export {};
