#!/usr/bin/env -S npx tsx
/**
 * `datapatch serve`: starts the server from flags and environment, stops it cleanly on
 * SIGTERM/SIGINT. Exit codes: 0 stopped normally, 1 failure while running, 2 bad arguments.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { seedDemoDataset } from '../data/demo-dataset.ts';
import { importLimitsFromEnvironment } from '../data/imports/import-limits.ts';
import {
  defaultHttpTimeouts,
  HTTP_TIMEOUT_VARIABLES,
  positiveNumbersFromEnvironment,
} from '../http/timeouts.ts';

import { accessFromEnvironment } from '../server/access-wiring.ts';
import { instanceConfigFromEnvironment } from '../server/instance-config.ts';
import { StoreStartError, startServer } from '../server/server.ts';
import { redactUrl } from '../store/postgres/postgres-database.ts';
import { webhookSettingsFromEnvironment } from '../webhooks/deliverer.ts';
import { isDataCommand, runDataCommand } from './data-commands.ts';
import { isInstanceCommand, runInstanceCommand } from './instance-commands.ts';
import { cliMessages } from './messages.ts';
import { parseCli } from './options.ts';
import { runUserCommand, userTexts } from './user.ts';

const [firstArgument, ...otherArguments] = process.argv.slice(2);
if (isDataCommand(firstArgument)) process.exit(await runDataCommand(firstArgument, otherArguments));
if (isInstanceCommand(firstArgument)) process.exit(await runInstanceCommand(firstArgument, otherArguments));
if (firstArgument === 'user') process.exit(await runUserCommand(otherArguments, process.env));

const messages = cliMessages();
const defaultAppDir = fileURLToPath(new URL('../../../app/build', import.meta.url));
const parsed = parseCli(process.argv.slice(2), process.env, messages, defaultAppDir);

if (!parsed.ok) {
  console.error(parsed.message);
  process.exit(2);
}
if (parsed.command === 'help') {
  process.stdout.write(messages.usage);
  process.exit(0);
}

const { settings, demo } = parsed;
const appDir = settings.appDir !== null && existsSync(settings.appDir) ? settings.appDir : null;
if (appDir === null) console.log(messages.noApp);
const access = accessFromEnvironment(process.env);
if (access.openAccess) console.warn(userTexts(process.env).insecureOpenAccess);
const instance = instanceConfigFromEnvironment(process.env);
if (!instance.ok) {
  console.error(instance.error.message);
  process.exit(2);
}
const importLimits = importLimitsFromEnvironment(process.env);
const httpTimeouts = positiveNumbersFromEnvironment(process.env, defaultHttpTimeouts, HTTP_TIMEOUT_VARIABLES);
for (const limits of [importLimits, httpTimeouts]) {
  if (!limits.ok) {
    console.error(limits.message);
    process.exit(2);
  }
}
let server: Awaited<ReturnType<typeof startServer>>;
try {
  server = await startServer({
    ...settings,
    ...access,
    appDir,
    instance: instance.config,
    ...(importLimits.ok ? { importLimits: importLimits.values } : {}),
    ...(httpTimeouts.ok ? { httpTimeouts: httpTimeouts.values } : {}),
    ...(demo ? { onFirstStart: seedDemoDataset } : {}),
    ...(process.env.DATAPATCH_REDIS_PREFIX ? { redisKeyPrefix: process.env.DATAPATCH_REDIS_PREFIX } : {}),
    webhooks: webhookSettingsFromEnvironment(process.env),
  });
} catch (error) {
  // A wrong or unreachable database or Redis, a data folder in use: say which, exit 2.
  if (!(error instanceof StoreStartError)) throw error;
  console.error(`datapatch: ${messages.startFailed(error.code, error.message)}`);
  process.exit(2);
}
console.log(messages.listening(server.url, settings.dataDir));
console.log(messages.storage(server.storage, settings.dataDir));
if (settings.redisUrl !== null) console.log(messages.severalProcesses(redactUrl(settings.redisUrl)));

let stopping = false;
async function stop(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(messages.stopping);
  try {
    await server.close();
    console.log(messages.stopped);
    process.exit(0);
  } catch (error) {
    console.error(`datapatch: failed to stop cleanly after ${signal}`, error);
    process.exit(1);
  }
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
