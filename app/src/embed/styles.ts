/**
 * The element's styles, scoped by its shadow root: nothing here reaches the host page and the
 * page's rules do not reach in (only inherited font and colour do, on purpose). `--dp-accent`
 * comes from the `accent` attribute. Mobile first; AA contrast on white.
 */
export const EMBED_CSS = `
:host { all: initial; display: block; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1b1b1b; --dp-accent: #0055aa; contain: content; }
* { box-sizing: border-box; }
.frame { display: flex; flex-direction: column; height: var(--dp-height, 480px); border: 1px solid #cfd4da;
  border-radius: 8px; background: #fff; overflow: hidden; }
header { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; padding: 10px 12px; border-bottom: 1px solid #e3e6ea; }
h2 { font-size: 16px; margin: 0; flex: 1 1 100%; }
label.search { flex: 1 1 180px; display: flex; flex-direction: column; font-size: 13px; color: #3a3f45; }
input, textarea { font: inherit; padding: 6px 8px; border: 1px solid #8a939c; border-radius: 6px; width: 100%; color: #1b1b1b; background: #fff; }
input:focus-visible, textarea:focus-visible, button:focus-visible, a:focus-visible { outline: 3px solid var(--dp-accent); outline-offset: 2px; }
.views { display: flex; gap: 4px; }
button { font: inherit; cursor: pointer; border-radius: 6px; padding: 6px 10px; border: 1px solid var(--dp-accent);
  background: #fff; color: var(--dp-accent); min-height: 36px; }
button[aria-pressed="true"], button.primary { background: var(--dp-accent); color: #fff; }
.chips { display: flex; flex-wrap: wrap; gap: 4px; flex: 1 1 100%; font-size: 13px; margin: 0; padding: 0; list-style: none; }
.chips li { background: #eef2f6; border-radius: 12px; padding: 2px 8px; }
.body { flex: 1; overflow: auto; position: relative; }
.status { margin: 0; padding: 6px 12px; font-size: 13px; color: #3a3f45; }
.notice { padding: 24px 16px; text-align: center; font-size: 16px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #e3e6ea; vertical-align: top; }
th { position: sticky; top: 0; background: #f6f8fa; font-weight: 600; }
tr.row { cursor: pointer; }
tr.row:hover { background: #f2f6fb; }
td a, .card a, .done a { color: var(--dp-accent); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 10px; padding: 10px; margin: 0; list-style: none; }
.card { border: 1px solid #dde1e5; border-radius: 8px; padding: 10px; }
.card h3 { font-size: 15px; margin: 0 0 6px; }
.card dl, .record dl { margin: 0; }
dt { font-size: 12px; color: #4a5159; }
dd { margin: 0 0 6px; overflow-wrap: anywhere; }
.record, form { padding: 12px; }
.record h3, form h3 { margin: 0 0 10px; font-size: 17px; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 10px; }
.record .actions, form .actions { position: sticky; bottom: 0; background: #fff; padding: 8px 0; }
form label { display: block; margin-bottom: 8px; font-size: 13px; color: #3a3f45; }
.hp { position: absolute; left: -10000px; width: 1px; height: 1px; overflow: hidden; }
.error { color: #a4000f; }
.done { background: #eef7ee; border: 1px solid #7ab07a; border-radius: 8px; padding: 10px; margin: 10px 12px; }
code { font-size: 13px; background: #f3f4f6; padding: 1px 4px; border-radius: 4px; overflow-wrap: anywhere; }
.map { position: absolute; inset: 0; }
.map-none { position: absolute; z-index: 1000; top: 8px; left: 60px; right: 8px; padding: 6px 10px; background: #fff; border-radius: 6px; font-size: 14px; }
footer { font-size: 12px; padding: 6px 12px; border-top: 1px solid #e3e6ea; color: #4a5159; display: flex; justify-content: space-between; gap: 8px; flex-wrap: wrap; }
footer a { color: #4a5159; }
@media (max-width: 480px) { th:nth-child(n+4), td:nth-child(n+4) { display: none; }
  button { padding: 6px 8px; } header { gap: 6px; } }
`;
