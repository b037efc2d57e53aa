import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliMessages } from './cli-messages.ts';
import { parseCli } from './cli-options.ts';
import { defaultSettings } from './server.ts';

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
  const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
  const run = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
      cwd: fileURLToPath(new URL('../../', import.meta.url)),
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
});
