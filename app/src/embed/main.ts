/**
 * The embed script's entry (`/embed.js`): defines `<datapatch-dataset>` once, whatever number of
 * times the page includes the script.
 */
import { DatapatchDataset } from './element.ts';

if (!customElements.get('datapatch-dataset')) customElements.define('datapatch-dataset', DatapatchDataset);
