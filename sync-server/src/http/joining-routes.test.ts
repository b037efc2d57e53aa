import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccessTestServer, ADMIN, startAccessServer } from '../testing/http-server.ts';

const json = { 'content-type': 'application/json' };

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

function cookieOf(response: Response): string {
  const setCookie = response.headers.get('set-cookie') ?? '';
  expect(setCookie).toMatch(/^datapatch_session=.*HttpOnly/);
  return setCookie.split(';')[0]!;
}

/** A mail as it reached the sink, quoted-printable soft breaks and escapes undone. */
function readableMail(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

describe('joining and resetting a password, without SMTP', () => {
  let t: AccessTestServer;
  beforeAll(async () => {
    t = await startAccessServer();
  });
  afterAll(async () => {
    await t.cleanup();
  });
  const url = (path: string) => `${t.server.url}${path}`;

  it('an invited person without an account creates one from the link, takes the role and is signed in', async () => {
    const made = await fetch(url('/api/datasets/lieux/invites'), {
      method: 'POST',
      headers: { ...json, ...t.headers('owner') },
      body: JSON.stringify({ role: 'editor', maxUses: 1 }),
    });
    const { token } = (await made.json()) as { token: string };
    const join = (email: string) =>
      fetch(url(`/api/invites/${token}/join`), {
        method: 'POST',
        headers: { ...json, origin: t.server.url },
        body: JSON.stringify({ email, name: 'Dominique Martin', password: 'a passphrase of my own' }),
      });
    const joined = await join('dominique@example.org');
    expect(joined.status).toBe(201);
    const cookie = cookieOf(joined);
    expect(await joined.json()).toMatchObject({ datasetId: 'lieux', role: 'editor' });
    const me = (await (await fetch(url('/api/auth/me'), { headers: { cookie } })).json()) as {
      user: { email: string; datasets: { id: string; role: string }[] };
    };
    expect(me.user.email).toBe('dominique@example.org');
    expect(me.user.datasets).toContainEqual({ id: 'lieux', role: 'editor' });
    const roles = (await (
      await fetch(url('/api/datasets/lieux/roles'), { headers: t.headers('owner') })
    ).json()) as {
      roles: { name?: string; email?: string; role: string }[];
    };
    expect(roles.roles).toContainEqual(
      expect.objectContaining({ name: 'Dominique Martin', email: 'dominique@example.org', role: 'editor' }),
    );
    const second = await join('someone.else@example.org');
    expect(second.status).toBe(410);
    expect(await errorCode(second)).toBe('invite_used_up');
    const crossSite = await fetch(url(`/api/invites/${token}/join`), {
      method: 'POST',
      headers: { ...json, origin: 'https://evil.example' },
      body: JSON.stringify({ email: 'x@example.org', password: 'a passphrase of my own' }),
    });
    expect(crossSite.status).toBe(403);
  });

  it('an owner makes a reset link to copy; it works once, and ends the old sessions', async () => {
    const made = await fetch(url('/api/password-resets'), {
      method: 'POST',
      headers: { ...json, ...t.headers('owner') },
      body: JSON.stringify({ userId: t.userIds.editor }),
    });
    expect(made.status).toBe(201);
    const body = (await made.json()) as { emailed: boolean; link: string };
    expect(body.emailed).toBe(false);
    const path = new URL(body.link).pathname;
    expect(path).toMatch(/^\/reset\/dpp_/);
    const token = path.slice('/reset/'.length);
    expect(await (await fetch(url(`/api/password-resets/${token}`))).json()).toMatchObject({
      email: 'editor@example.org',
    });
    const use = () =>
      fetch(url(`/api/password-resets/${token}`), {
        method: 'POST',
        headers: { ...json, origin: t.server.url },
        body: JSON.stringify({ password: 'my new long passphrase' }),
      });
    const used = await use();
    expect(used.status).toBe(200);
    const cookie = cookieOf(used);
    // The answer names who is now signed in (it waited for the session, on any store).
    expect(((await used.clone().json()) as { user: { email?: string } }).user.email).toBeDefined();
    expect((await fetch(url('/api/auth/me'), { headers: { cookie } })).status).toBe(200);
    expect((await fetch(url('/api/auth/me'), { headers: t.headers('editor') })).status).toBe(401);
    const again = await use();
    expect(again.status).toBe(410);
    expect(await errorCode(again)).toBe('reset_used');
    const signIn = await fetch(url('/api/auth/login'), {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        email: 'editor@example.org',
        password: 'my new long passphrase',
        kind: 'bearer',
      }),
    });
    expect(signIn.status).toBe(200);
  });

  it('a hub admin invites a person into the hub: they create their account from the link and are a member', async () => {
    const hub = await fetch(url('/api/hubs'), {
      method: 'POST',
      headers: { ...json, ...t.headers('moderator') },
      body: JSON.stringify({ name: 'Hub Ouest' }),
    });
    const { hub: made } = (await hub.json()) as { hub: { id: string } };
    const refused = await fetch(url(`/api/hubs/${made.id}/invites`), {
      method: 'POST',
      headers: { ...json, ...t.headers('stranger') },
      body: JSON.stringify({}),
    });
    expect(refused.status).toBe(403);
    const invite = await fetch(url(`/api/hubs/${made.id}/invites`), {
      method: 'POST',
      headers: { ...json, ...t.headers('moderator') },
      body: JSON.stringify({ maxUses: 1 }),
    });
    expect(invite.status).toBe(201);
    const { token } = (await invite.json()) as { token: string };
    expect(token).toMatch(/^dph_/);
    const joined = await fetch(url(`/api/hub-invites/${token}/join`), {
      method: 'POST',
      headers: { ...json, origin: t.server.url },
      body: JSON.stringify({
        email: 'yanis@ouest.example.org',
        name: 'Yanis',
        password: 'a passphrase of my own',
      }),
    });
    expect(joined.status).toBe(201);
    const cookie = cookieOf(joined);
    const me = (await (await fetch(url('/api/auth/me'), { headers: { cookie } })).json()) as {
      user: { hubs: { id: string; hubRole: string }[] };
    };
    expect(me.user.hubs).toEqual([expect.objectContaining({ id: made.id, hubRole: 'member' })]);
    const again = await fetch(url(`/api/hub-invites/${token}/accept`), {
      method: 'POST',
      headers: t.headers('reader'),
    });
    expect(again.status).toBe(410);
    expect(await errorCode(again)).toBe('invite_used_up');
  });

  it('someone who administers no hub of the member gets 403; anonymous 401', async () => {
    const asked = (who: 'moderator' | 'anonymous') =>
      fetch(url('/api/password-resets'), {
        method: 'POST',
        headers: { ...json, ...t.headers(who) },
        body: JSON.stringify({ email: ADMIN.email }),
      });
    expect((await asked('moderator')).status).toBe(403);
    expect((await asked('anonymous')).status).toBe(401);
  });
});

describe('a reset link with SMTP configured', () => {
  let t: AccessTestServer;
  let sink: SMTPServer;
  const received: { to: string[]; raw: string }[] = [];
  beforeAll(async () => {
    sink = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        let raw = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => {
          raw += chunk;
        });
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    const { port } = sink.server.address() as AddressInfo;
    t = await startAccessServer({
      access: {
        admin: { DATAPATCH_ADMIN_EMAIL: ADMIN.email, DATAPATCH_ADMIN_PASSWORD: ADMIN.password },
        smtpUrl: `smtp://127.0.0.1:${port}`,
        smtpFrom: 'Data Patch <noreply@example.org>',
      },
    });
  });
  afterAll(async () => {
    await t.cleanup();
    await new Promise<void>((resolve) => sink.close(() => resolve()));
  });

  it('is mailed to the member (not shown to the admin), in French and English, and the mailed link works', async () => {
    const made = await fetch(`${t.server.url}/api/password-resets`, {
      method: 'POST',
      headers: { ...json, ...t.headers('owner') },
      body: JSON.stringify({ email: 'reader@example.org' }),
    });
    expect(made.status).toBe(201);
    const body = (await made.json()) as { emailed: boolean; link?: string };
    expect(body).toMatchObject({ emailed: true });
    expect(body.link).toBeUndefined();
    expect(received).toHaveLength(1);
    expect(received[0]!.to).toEqual(['reader@example.org']);
    const mail = readableMail(received[0]!.raw);
    expect(mail).toContain('From: Data Patch <noreply@example.org>');
    expect(mail).toContain('choisissiez un nouveau mot de passe Data Patch');
    expect(mail).toContain('choose a new Data Patch password');
    const link = mail.match(/http:\/\/127\.0\.0\.1:\d+\/reset\/(dpp_[A-Za-z0-9_-]+)/);
    expect(link).not.toBeNull();
    const used = await fetch(`${t.server.url}/api/password-resets/${link![1]}`, {
      method: 'POST',
      headers: { ...json, origin: t.server.url },
      body: JSON.stringify({ password: 'mailed link passphrase' }),
    });
    expect(used.status).toBe(200);
  });
});
