/**
 * `datapatch export --dataset ID`: the validated rows of a dataset from the data folder, in the
 * formats of @datapatch/io. Invariants: reads only (never creates a data folder or a dataset);
 * the bytes written are exactly exportTable's; a CSV holds the values as stored unless
 * `--for excel` asks for a spreadsheet's copy (formulas neutralised, BOM, `;` by default).
 */
import { writeFile } from 'node:fs/promises';
import { fieldNames, isDataset, readRows, readSchema } from '@datapatch/core';
import { type ExportFormat, excelCsv, exportTable } from '@datapatch/io';
import { isDatasetId, roomName } from '@datapatch/protocol';
import * as Y from 'yjs';
import { BadArguments, dataFolder, hasData, openStores, parseFlags } from './data-folder.ts';
import { type CliDataMessages, EXIT } from './data-messages.ts';
import type { CliOutput } from './validate.ts';

const FORMATS: readonly ExportFormat[] = ['csv', 'xlsx', 'json', 'geojson', 'datapackage'];
const SEPARATORS = { ',': ',', ';': ';', tab: '\t', '\t': '\t' } as const;

export async function runExport(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  m: CliDataMessages,
  io: CliOutput & { outBytes: (bytes: Uint8Array) => void },
): Promise<number> {
  let options: {
    datasetId: string;
    format: ExportFormat;
    bom: boolean;
    separator: ',' | ';' | '\t';
    forExcel: boolean;
    out: string | null;
    data: string;
  };
  try {
    const { values, positionals } = parseFlags(argv, {
      dataset: { type: 'string' },
      format: { type: 'string' },
      bom: { type: 'boolean' },
      separator: { type: 'string' },
      for: { type: 'string' },
      out: { type: 'string' },
      data: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.out(m.exportUsage);
      return EXIT.ok;
    }
    if (positionals.length > 0)
      throw new BadArguments(m.badChoice('argument', positionals.join(' '), '--flags'));
    if (!values.dataset) throw new BadArguments(m.missing('--dataset'));
    if (!isDatasetId(values.dataset)) throw new BadArguments(m.badDatasetId(values.dataset));
    const format = values.format ?? 'csv';
    if (!FORMATS.includes(format as ExportFormat))
      throw new BadArguments(m.badChoice('--format', format, FORMATS.join('|')));
    if (values.for !== undefined && (values.for !== 'excel' || format !== 'csv'))
      throw new BadArguments(m.badChoice('--for', values.for, 'excel (with --format csv)'));
    const forExcel = values.for === 'excel';
    const separatorText = values.separator ?? (forExcel ? excelCsv.separator : ',');
    if (!(separatorText in SEPARATORS))
      throw new BadArguments(m.badChoice('--separator', separatorText, "',' ';' tab"));
    options = {
      datasetId: values.dataset,
      format: format as ExportFormat,
      bom: forExcel || values.bom === true,
      separator: SEPARATORS[separatorText as keyof typeof SEPARATORS],
      forExcel,
      out: values.out ?? null,
      data: dataFolder(values.data, env),
    };
  } catch (error) {
    if (!(error instanceof BadArguments)) throw error;
    io.err(m.badFlag(error.message, 'export'));
    return EXIT.badArguments;
  }

  if (!hasData(options.data)) {
    io.err(m.noDataFolder(options.data));
    return EXIT.failed;
  }
  const stores = openStores(options.data);
  const doc = new Y.Doc();
  try {
    for (const update of (await stores.updates.loadRoom(roomName(options.datasetId, 'validated'))).updates)
      Y.applyUpdate(doc, update);
  } finally {
    await stores.close();
  }
  if (!isDataset(doc)) {
    io.err(m.noDataset(options.datasetId));
    return EXIT.failed;
  }
  const table = { fields: fieldNames(doc), rows: readRows(doc).map((row) => row.values) };
  const bytes = await exportTable(table, {
    format: options.format,
    bom: options.bom,
    separator: options.separator,
    neutraliseFormulas: options.forExcel,
    schema: readSchema(doc),
    name: options.datasetId.toLowerCase(),
  });
  doc.destroy();
  if (options.out === null) io.outBytes(bytes);
  else {
    await writeFile(options.out, bytes);
    io.err(m.wrote(bytes.length, options.out));
  }
  return EXIT.ok;
}
