/**
 * Which datasets are being looked at as a map, for the visit: coming back from a record
 * shows the map again. The table/cards choice stays in the dataset session.
 */
import { SvelteSet } from 'svelte/reactivity';

export const mapChosen = new SvelteSet<string>();
