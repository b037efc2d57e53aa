import { execFile, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../server/server.ts';
import { spawnServer } from '../testing/child-server.ts';
import { temporaryDataDir } from '../testing/clients.ts';
import { cliMessages } from './messages.ts';
import { parseCli } from './options.ts';

const temporaryDataDirRemove = (dir: string) => rmSync(dir, { recursive: true, force: true });

const en = cliMessages({ LANG: 'C' });
const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseCli(argv, env, en, '/app/build');

describe('datapatch command line', () => {
  it('serves with the documented defaults', () => {
    expect(parse(['serve'])).toEqual({
      ok: true,
      command: 'serve',
      demo: true,
      settings: { ...defaultSettings, dataDir: resolve('./data'), appDir: '/app/build' },
    });
    expect(parse([])).toMatchObject({ ok: true, command: 'serve' });
  });

  it('takes the environment, and flags over the environment', () => {
    const env = {
      PORT: '9000',
      HOST: '0.0.0.0',
      DATAPATCH_DATA_DIR: '/srv/dp',
      DATAPATCH_ROOM_GRACE_MS: '5',
    };
    expect(parse(['serve'], env)).toMatchObject({
      ok: true,
      settings: { port: 9000, host: '0.0.0.0', dataDir: '/srv/dp', roomGraceMs: 5 },
    });
    expect(
      parse(['serve', '--port', '0', '--data', '/tmp/x', '--max-message-bytes', '2048'], env),
    ).toMatchObject({
      ok: true,
      settings: { port: 0, host: '0.0.0.0', dataDir: '/tmp/x', maxMessageBytes: 2048 },
    });
    expect(parse(['serve', '--no-demo'])).toMatchObject({ demo: false });
    expect(parse(['serve'], { DATAPATCH_NO_DEMO: '1' })).toMatchObject({ demo: false });
  });

  it('takes the database and Redis URLs from flags or the environment; with neither, SQLite', () => {
    const pg = 'postgres://dp@db.example:5432/datapatch';
    expect(parse(['serve', '--database-url', pg, '--redis-url', 'redis://cache:6379'])).toMatchObject({
      ok: true,
      settings: { databaseUrl: pg, redisUrl: 'redis://cache:6379' },
    });
    expect(
      parse(['serve'], { DATAPATCH_DATABASE_URL: pg, DATAPATCH_REDIS_URL: 'rediss://cache:6380' }),
    ).toMatchObject({ ok: true, settings: { databaseUrl: pg, redisUrl: 'rediss://cache:6380' } });
    expect(parse(['serve'])).toMatchObject({ ok: true, settings: { databaseUrl: null, redisUrl: null } });
  });

  it('answers --help', () => {
    expect(parse(['--help'])).toEqual({ ok: true, command: 'help' });
    expect(parse(['serve', '-h'])).toEqual({ ok: true, command: 'help' });
  });

  it.each([
    ['an unknown flag', ['serve', '--prot', '80']],
    ['a port that is not a number', ['serve', '--port', 'http']],
    ['a port out of range', ['serve', '--port', '70000']],
    ['a flag without its value', ['serve', '--data']],
    ['an unknown command', ['start']],
    ['a message cap too small to sync', ['serve', '--max-message-bytes', '10']],
    ['a database URL that is not PostgreSQL', ['serve', '--database-url', 'mysql://db/x']],
    [
      'a Redis URL that is not Redis',
      ['serve', '--database-url', 'postgres://db/x', '--redis-url', 'http://x'],
    ],
    ['Redis without a database', ['serve', '--redis-url', 'redis://cache:6379']],
  ])('refuses %s', (_what, argv) => {
    expect(parse(argv)).toMatchObject({ ok: false });
  });

  it('speaks French when the locale is French', () => {
    const fr = cliMessages({ LANG: 'fr_FR.UTF-8' });
    expect(fr.usage).toContain('Usage : datapatch serve');
    const refused = parseCli(['serve', '--port', 'x'], {}, fr, '/app');
    expect(refused.ok === false && refused.message).toContain('nombre entier');
  });
});

describe('the datapatch process', () => {
  const cli = fileURLToPath(new URL('./main.ts', import.meta.url));
  const run = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
      cwd: fileURLToPath(new URL('../../../', import.meta.url)),
      env: { ...process.env, LANG: 'C', LC_ALL: 'C' },
      encoding: 'utf8',
    });

  it('prints usage on --help and exits 0, exits 2 with a clear message on a bad flag', () => {
    const help = run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: datapatch serve');
    const bad = run(['serve', '--port', 'eighty']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--port');
  });

  /** Runs `datapatch serve` until it exits by itself (a refused start), without blocking. */
  const refusedStart = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    new Promise<{ status: number | null; stderr: string }>((done) => {
      const child = execFile(
        process.execPath,
        ['--import', 'tsx', cli, 'serve', '--port', '0', '--no-demo', ...args],
        {
          cwd: fileURLToPath(new URL('../../../', import.meta.url)),
          env: { ...process.env, LANG: 'C', LC_ALL: 'C', ...env },
          encoding: 'utf8',
          timeout: 200_000,
        },
        (_error, _stdout, stderr) => done({ status: child.exitCode, stderr }),
      );
    });

  // Four server starts at once: minutes on a loaded two-core machine.
  it('a start it cannot honour stops with exit 2 and names what failed', { timeout: 240_000 }, async () => {
    const data = temporaryDataDir();
    const open = { DATAPATCH_INSECURE_OPEN_ACCESS: '1' };
    const first = await spawnServer(data.dir);
    try {
      const [database, accounts, secondServer] = await Promise.all([
        refusedStart(['--data', `${data.dir}-pg`, '--database-url', 'postgres://dp@127.0.0.1:1/none']),
        refusedStart([
          '--data',
          `${data.dir}-acc`,
          '--database-url',
          'postgres://x@127.0.0.1:1/y',
          '--redis-url',
          'redis://127.0.0.1:1',
        ]),
        refusedStart(['--data', data.dir], open),
      ]);
      expect(database.status).toBe(2);
      expect(database.stderr).toContain('postgres://dp@127.0.0.1:1/none');
      // Several processes with accounts start (they share them through PostgreSQL): this one
      // stops only because its database does not answer.
      expect(accounts.status).toBe(2);
      expect(accounts.stderr).toContain('postgres://x@127.0.0.1:1/y');
      expect(secondServer.status).toBe(2);
      expect(secondServer.stderr).toContain(data.dir);
      // The first server is untouched by the refused second one.
      expect((await fetch(`${first.url}/api/health`)).status).toBe(200);
    } finally {
      first.process.kill('SIGKILL');
      await first.exited;
      for (const suffix of ['', '-pg', '-acc']) temporaryDataDirRemove(`${data.dir}${suffix}`);
    }
  });
});
