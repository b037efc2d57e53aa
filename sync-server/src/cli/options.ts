/**
 * Turns `datapatch` arguments and environment into server settings. Invariant: flags win over
 * environment, environment over defaults; any bad input is a value `{ok: false, message}`
 * (the caller prints it and exits 2), never a half-filled setting.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultSettings, type ServerSettings } from '../server/server.ts';
import type { CliMessages } from './messages.ts';

export type CliCommand =
  | { ok: true; command: 'help' }
  | { ok: true; command: 'serve'; settings: ServerSettings; demo: boolean }
  | { ok: false; message: string };

class BadInput extends Error {}

function wholeNumber(text: string, name: string, messages: CliMessages): number {
  if (!/^\d+$/.test(text)) throw new BadInput(messages.badNumber(name, text));
  return Number(text);
}

export function parseCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  messages: CliMessages,
  defaultAppDir: string,
): CliCommand {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        app: { type: 'string' },
        'max-message-bytes': { type: 'string' },
        'room-grace-ms': { type: 'string' },
        'compact-after': { type: 'string' },
        'database-url': { type: 'string' },
        'redis-url': { type: 'string' },
        'no-demo': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) return { ok: true, command: 'help' };
    const [command = 'serve', ...rest] = positionals;
    if (command === 'help') return { ok: true, command: 'help' };
    if (command !== 'serve') throw new BadInput(messages.unknownCommand(command));
    if (rest.length > 0) throw new BadInput(messages.unknownCommand(rest.join(' ')));

    const portText = values.port ?? env.PORT;
    const port = portText === undefined ? defaultSettings.port : wholeNumber(portText, '--port', messages);
    if (port > 65535) throw new BadInput(messages.badPort(portText ?? ''));
    const number = (flag: string, envName: string, fallback: number) => {
      const text = (values as Record<string, string | undefined>)[flag] ?? env[envName];
      return text === undefined || text === '' ? fallback : wholeNumber(text, `--${flag}`, messages);
    };
    const url = (flag: string, envName: string, schemes: RegExp) => {
      const text = (values as Record<string, string | undefined>)[flag] ?? env[envName];
      if (text === undefined || text === '') return null;
      if (!schemes.test(text)) throw new BadInput(messages.badUrl(`--${flag}`, text));
      return text;
    };
    const settings: ServerSettings = {
      port,
      host: values.host ?? env.HOST ?? defaultSettings.host,
      dataDir: resolve(values.data ?? env.DATAPATCH_DATA_DIR ?? './data'),
      appDir: resolve(values.app ?? env.DATAPATCH_APP_DIR ?? defaultAppDir),
      maxMessageBytes: number(
        'max-message-bytes',
        'DATAPATCH_MAX_MESSAGE_BYTES',
        defaultSettings.maxMessageBytes,
      ),
      roomGraceMs: number('room-grace-ms', 'DATAPATCH_ROOM_GRACE_MS', defaultSettings.roomGraceMs),
      compactAfterUpdates: number(
        'compact-after',
        'DATAPATCH_COMPACT_AFTER',
        defaultSettings.compactAfterUpdates,
      ),
      databaseUrl: url('database-url', 'DATAPATCH_DATABASE_URL', /^postgres(ql)?:\/\/./),
      redisUrl: url('redis-url', 'DATAPATCH_REDIS_URL', /^rediss?:\/\/./),
    };
    if (settings.redisUrl !== null && settings.databaseUrl === null)
      throw new BadInput(messages.redisNeedsDatabase);
    if (settings.maxMessageBytes < 1024)
      throw new BadInput(messages.badNumber('--max-message-bytes', '< 1024'));
    if (settings.compactAfterUpdates < 2) throw new BadInput(messages.badNumber('--compact-after', '< 2'));
    const demo = !values['no-demo'] && env.DATAPATCH_NO_DEMO !== '1';
    return { ok: true, command: 'serve', settings, demo };
  } catch (error) {
    // parseArgs reports unknown flags and missing values as TypeErrors with a readable message.
    if (error instanceof BadInput || error instanceof TypeError) {
      return { ok: false, message: messages.badFlag(error.message) };
    }
    throw error;
  }
}
