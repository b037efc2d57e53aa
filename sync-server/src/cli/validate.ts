/**
 * `datapatch validate FILE --schema S [--custom-props P]`: every repair the file needed, then the
 * per-cell report of the file against a Table Schema, a Datami field list (with its custom props)
 * or a JSON Schema. Invariants: exit 0 only when the file was read, no repair was refused (unclosed
 * quote unless --accept-repairs, any under --strict) and every row passes; 1 invalid, refused or
 * unreadable; 2 bad arguments (nothing was read). A schema file is named as such, never echoed.
 */
import { readFile } from 'node:fs/promises';
import { refusedRepairs, repairWarnings } from '@datapatch/io';
import { importFilePath } from '@datapatch/io/node';
import {
  compileRowsValidator,
  type RowsValidator,
  SchemaError,
  serverCustomChecks,
} from '@datapatch/schema/server';
import { readGivenSchema, withCustomProps } from '../data/given-schema.ts';
import { BadArguments, parseFlags } from './data-folder.ts';
import { type CliDataMessages, EXIT, repairLines } from './data-messages.ts';
import { readSchemaFile } from './schema-file.ts';

export interface CliOutput {
  out: (text: string) => void;
  err: (text: string) => void;
}

const SHOWN_ERRORS = 200;

export async function runValidate(
  argv: readonly string[],
  m: CliDataMessages,
  io: CliOutput,
): Promise<number> {
  let file: string;
  let schemaPath: string;
  let customPropsPath: string | undefined;
  let format: 'text' | 'json';
  let policy: { strict: boolean; acceptRepairs: boolean };
  try {
    const { values, positionals } = parseFlags(argv, {
      schema: { type: 'string' },
      'custom-props': { type: 'string' },
      format: { type: 'string' },
      strict: { type: 'boolean' },
      'accept-repairs': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.out(m.validateUsage);
      return EXIT.ok;
    }
    if (positionals.length !== 1) throw new BadArguments(m.missing('FILE'));
    if (!values.schema) throw new BadArguments(m.missing('--schema'));
    const chosen = values.format ?? 'text';
    if (chosen !== 'text' && chosen !== 'json')
      throw new BadArguments(m.badChoice('--format', chosen, 'text|json'));
    file = positionals[0] ?? '';
    schemaPath = values.schema;
    customPropsPath = values['custom-props'];
    format = chosen;
    policy = { strict: values.strict === true, acceptRepairs: values['accept-repairs'] === true };
  } catch (error) {
    if (!(error instanceof BadArguments)) throw error;
    io.err(m.badFlag(error.message, 'validate'));
    return EXIT.badArguments;
  }

  const schemaFile = await readSchemaFile(schemaPath);
  if (!schemaFile.ok) {
    io.err(m.schemaFile(schemaPath, schemaFile.problem));
    return EXIT.badArguments;
  }
  let validator: RowsValidator;
  let readFrom = schemaPath;
  try {
    const reading = readGivenSchema(schemaFile.text);
    if (!reading.ok) {
      io.err(m.refused(reading.code, `${schemaPath}: ${reading.message}`));
      return EXIT.badArguments;
    }
    let schema = reading.schema;
    if (customPropsPath !== undefined) {
      readFrom = customPropsPath;
      const withProps = withCustomProps(schema, await readFile(customPropsPath, 'utf8'));
      if (!withProps.ok) {
        io.err(m.refused(withProps.code, `${customPropsPath}: ${withProps.message}`));
        return EXIT.badArguments;
      }
      schema = withProps.schema;
    }
    validator = compileRowsValidator(schema, { customChecks: serverCustomChecks });
  } catch (error) {
    const reason =
      error instanceof SchemaError
        ? error.code
        : ((error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error)));
    io.err(readFrom === schemaPath ? m.schemaFile(schemaPath, reason) : m.unreadable(readFrom, reason));
    return EXIT.badArguments;
  }
  let imported: Awaited<ReturnType<typeof importFilePath>>;
  try {
    imported = await importFilePath(file);
  } catch (error) {
    io.err(m.unreadable(file, error instanceof Error ? error.message : String(error)));
    return EXIT.failed;
  }
  if (!imported.ok) {
    io.err(m.refused(imported.error.code, imported.error.message.en));
    if (format === 'json') io.out(`${JSON.stringify({ ok: false, error: imported.error })}\n`);
    return EXIT.failed;
  }
  const { table } = imported;
  const repairs = repairWarnings(imported.report);
  const notListed = imported.report.repairCount - imported.report.repairs.length;
  const refusal = refusedRepairs(imported.report, policy);
  if (refusal) {
    io.err(
      [m.refused(refusal.error.code, refusal.error.message.en), ...repairLines(m, repairs, notListed)].join(
        '\n',
      ),
    );
    if (format === 'json') io.out(`${JSON.stringify({ ok: false, error: refusal.error, repairs })}\n`);
    return EXIT.failed;
  }
  const report = validator.validateTable(table.rows, { labels: table.fields });
  if (format === 'json') {
    io.out(`${JSON.stringify({ ok: true, rows: table.rows.length, repairs, ...report })}\n`);
  } else {
    const lines = repairLines(m, repairs, notListed);
    lines.push(...report.errors.slice(0, SHOWN_ERRORS).map((error) => m.error(error)));
    const shown = Math.min(report.errors.length, SHOWN_ERRORS);
    if (report.errorCount > shown) lines.push(m.more(report.errorCount - shown));
    lines.push(report.valid ? m.valid(table.rows.length) : m.invalid(table.rows.length, report.errorCount));
    io.out(`${lines.join('\n')}\n`);
  }
  return report.valid ? EXIT.ok : EXIT.failed;
}
