/**
 * `datapatch import FILE`: a file into the data folder, as one Yjs update appended to the
 * dataset's room log plus its registry entry. Invariant: a refused file (unreadable, bad schema,
 * --strict and invalid) writes nothing; the command talks to SQLite, not to a running server.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { defaultMaxBytes } from '@datapatch/io';
import { isDatasetId, roomName } from '@datapatch/protocol';
import * as Y from 'yjs';
import { BadArguments, dataFolder, openStores, parseFlags } from './cli-data-folder.ts';
import { type CliDataMessages, EXIT } from './cli-data-messages.ts';
import type { CliOutput } from './cli-validate.ts';
import { documentState, importUpdate, prepareImport } from './dataset-import.ts';
import { summarizeDataset } from './dataset-summaries.ts';

/** A dataset id from a file name: `Lieux publics (2024).csv` → `Lieux-publics-2024`. */
export function datasetIdFromFile(path: string): string {
  return basename(path, extname(path))
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

export async function runImport(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  m: CliDataMessages,
  io: CliOutput,
): Promise<number> {
  let file: string;
  let flags: {
    schema?: string;
    'custom-props'?: string;
    dataset?: string;
    title?: string;
    data?: string;
    strict?: boolean;
  };
  try {
    const { values, positionals } = parseFlags(argv, {
      schema: { type: 'string' },
      'custom-props': { type: 'string' },
      dataset: { type: 'string' },
      title: { type: 'string' },
      data: { type: 'string' },
      strict: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.out(m.importUsage);
      return EXIT.ok;
    }
    if (positionals.length !== 1) throw new BadArguments(m.missing('FILE'));
    file = positionals[0] ?? '';
    flags = values;
    const id = flags.dataset ?? datasetIdFromFile(file);
    if (!isDatasetId(id)) throw new BadArguments(m.badDatasetId(id));
    flags.dataset = id;
  } catch (error) {
    if (!(error instanceof BadArguments)) throw error;
    io.err(m.badFlag(error.message, 'import'));
    return EXIT.badArguments;
  }
  const datasetId = flags.dataset ?? '';

  let bytes: Uint8Array;
  let schemaText: string | null = null;
  let customPropsText: string | null = null;
  try {
    if ((await stat(file)).size > defaultMaxBytes) {
      io.err(m.refused('file-too-large', `over ${defaultMaxBytes} bytes`));
      return EXIT.failed;
    }
    bytes = new Uint8Array(await readFile(file));
    if (flags.schema) schemaText = await readFile(flags.schema, 'utf8');
    const customProps = flags['custom-props'];
    if (customProps) customPropsText = await readFile(customProps, 'utf8');
  } catch (error) {
    io.err(m.unreadable(file, error instanceof Error ? error.message : String(error)));
    return EXIT.failed;
  }

  const stores = openStores(dataFolder(flags.data, env));
  try {
    const room = roomName(datasetId, 'validated');
    const doc = new Y.Doc();
    for (const update of (await stores.updates.loadRoom(room)).updates) Y.applyUpdate(doc, update);
    const current = documentState(doc);
    const prepared = await prepareImport(
      { bytes, filename: basename(file), schemaText, customPropsText, strict: flags.strict === true },
      current.schema,
    );
    if (!prepared.ok) {
      io.err(m.refused(prepared.error.code, prepared.error.message));
      return EXIT.failed;
    }
    const made = importUpdate(
      current,
      prepared,
      { datasetId, ...(flags.title ? { title: flags.title } : {}) },
      { id: 'datapatch-cli', name: 'datapatch import' },
    );
    await stores.updates.appendUpdates([{ room, update: made.update }]);
    Y.applyUpdate(doc, made.update);
    const summary = summarizeDataset(doc);
    if (summary) await stores.registry.upsert(summary);
    doc.destroy();
    const { validation } = prepared.answer;
    const lines = [m.imported(made.rowsImported, datasetId, made.created, prepared.answer.schemaSource)];
    lines.push(
      validation.valid ? m.valid(made.rowsImported) : m.invalid(made.rowsImported, validation.errorCount),
    );
    for (const error of validation.errors.slice(0, 20)) lines.push(`  ${m.error(error)}`);
    if (validation.errorCount > 20) lines.push(`  ${m.more(validation.errorCount - 20)}`);
    lines.push(m.serverWarning);
    io.out(`${lines.join('\n')}\n`);
    return EXIT.ok;
  } finally {
    await stores.close();
  }
}
