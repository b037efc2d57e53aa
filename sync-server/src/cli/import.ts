/**
 * `datapatch import FILE`: a file into the data folder, as one Yjs update appended to the
 * dataset's room log plus its registry entry. Invariants: a refused file (unreadable, bad schema,
 * an unclosed quote not accepted, --strict and invalid or repaired) writes nothing — not even an
 * empty database in a data folder that had none; the command talks to SQLite, not to a server.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { defaultMaxBytes } from '@datapatch/io';
import { isDatasetId, roomName } from '@datapatch/protocol';
import * as Y from 'yjs';
import { documentState, importUpdate, prepareImport } from '../data/dataset-import.ts';
import { summarizeDataset } from '../data/dataset-summaries.ts';
import { BadArguments, dataFolder, hasData, openStores, parseFlags } from './data-folder.ts';
import { type CliDataMessages, EXIT, repairLines } from './data-messages.ts';
import { readSchemaFile } from './schema-file.ts';
import type { CliOutput } from './validate.ts';

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
    'accept-repairs'?: boolean;
  };
  try {
    const { values, positionals } = parseFlags(argv, {
      schema: { type: 'string' },
      'custom-props': { type: 'string' },
      dataset: { type: 'string' },
      title: { type: 'string' },
      data: { type: 'string' },
      strict: { type: 'boolean' },
      'accept-repairs': { type: 'boolean' },
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

  let schemaText: string | null = null;
  let customPropsText: string | null = null;
  if (flags.schema) {
    const schema = await readSchemaFile(flags.schema);
    if (!schema.ok) {
      io.err(m.schemaFile(flags.schema, schema.problem));
      return EXIT.failed;
    }
    schemaText = schema.text;
  }
  const customProps = flags['custom-props'];
  if (customProps) {
    try {
      customPropsText = await readFile(customProps, 'utf8');
    } catch (error) {
      io.err(m.unreadable(customProps, (error as NodeJS.ErrnoException).code ?? 'unreadable'));
      return EXIT.failed;
    }
  }
  let bytes: Uint8Array;
  try {
    if ((await stat(file)).size > defaultMaxBytes) {
      io.err(m.refused('file-too-large', `over ${defaultMaxBytes} bytes`));
      return EXIT.failed;
    }
    bytes = new Uint8Array(await readFile(file));
  } catch (error) {
    io.err(m.unreadable(file, error instanceof Error ? error.message : String(error)));
    return EXIT.failed;
  }

  // A data folder without a database is only opened once the file is accepted: a refusal must
  // not leave an empty datapatch.sqlite behind.
  const folder = dataFolder(flags.data, env);
  let stores = hasData(folder) ? openStores(folder) : null;
  try {
    const room = roomName(datasetId, 'validated');
    const doc = new Y.Doc();
    if (stores)
      for (const update of (await stores.updates.loadRoom(room)).updates) Y.applyUpdate(doc, update);
    const current = documentState(doc);
    const prepared = await prepareImport(
      {
        bytes,
        filename: basename(file),
        schemaText,
        customPropsText,
        strict: flags.strict === true,
        acceptRepairs: flags['accept-repairs'] === true,
      },
      current.schema,
    );
    if (!prepared.ok) {
      const listed = prepared.repairs ? repairLines(m, prepared.repairs, 0) : [];
      io.err([m.refused(prepared.error.code, prepared.error.message), ...listed].join('\n'));
      return EXIT.failed;
    }
    stores ??= openStores(folder);
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
    const { validation, importReport, repairs } = prepared.answer;
    const lines = [m.imported(made.rowsImported, datasetId, made.created, prepared.answer.schemaSource)];
    lines.push(...repairLines(m, repairs, importReport.repairCount - importReport.repairs.length));
    lines.push(
      validation.valid ? m.valid(made.rowsImported) : m.invalid(made.rowsImported, validation.errorCount),
    );
    for (const error of validation.errors.slice(0, 20)) lines.push(`  ${m.error(error)}`);
    if (validation.errorCount > 20) lines.push(`  ${m.more(validation.errorCount - 20)}`);
    lines.push(m.serverWarning);
    io.out(`${lines.join('\n')}\n`);
    return EXIT.ok;
  } finally {
    await stores?.close();
  }
}
