/**
 * `datapatch validate FILE --schema S [--custom-props P]`: the per-cell report of a file against a
 * Table Schema, a Datami field list (with its custom props) or a JSON Schema.
 * Invariant: exit 0 only when the file was read and every row passes; 1 invalid or unreadable;
 * 2 bad arguments (nothing was read).
 */
import { readFile } from 'node:fs/promises';
import { importFilePath } from '@datapatch/io/node';
import {
  compileRowsValidator,
  type RowsValidator,
  SchemaError,
  serverCustomChecks,
} from '@datapatch/schema/server';
import { BadArguments, parseFlags } from './cli-data-folder.ts';
import { type CliDataMessages, EXIT } from './cli-data-messages.ts';
import { readGivenSchema, withCustomProps } from './given-schema.ts';

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
  try {
    const { values, positionals } = parseFlags(argv, {
      schema: { type: 'string' },
      'custom-props': { type: 'string' },
      format: { type: 'string' },
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
  } catch (error) {
    if (!(error instanceof BadArguments)) throw error;
    io.err(m.badFlag(error.message, 'validate'));
    return EXIT.badArguments;
  }

  let validator: RowsValidator;
  let readFrom = schemaPath;
  try {
    const reading = readGivenSchema(await readFile(schemaPath, 'utf8'));
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
      error instanceof SchemaError ? error.code : error instanceof Error ? error.message : String(error);
    io.err(m.unreadable(readFrom, reason));
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
  const report = validator.validateTable(table.rows, { labels: table.fields });
  if (format === 'json') {
    io.out(`${JSON.stringify({ ok: true, rows: table.rows.length, ...report })}\n`);
  } else {
    const lines = report.errors.slice(0, SHOWN_ERRORS).map((error) => m.error(error));
    if (report.errorCount > lines.length) lines.push(m.more(report.errorCount - lines.length));
    lines.push(report.valid ? m.valid(table.rows.length) : m.invalid(table.rows.length, report.errorCount));
    io.out(`${lines.join('\n')}\n`);
  }
  return report.valid ? EXIT.ok : EXIT.failed;
}
