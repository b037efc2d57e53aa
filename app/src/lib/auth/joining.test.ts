import { describe, expect, it } from 'vitest';
import { joinWithNewAccount, makeResetLink, passwordStrength, setPasswordWithLink } from './joining.ts';

function answering(status: number, body: unknown): typeof fetch {
  return (async () => new Response(JSON.stringify(body), { status })) as typeof fetch;
}

describe('the password strength hint', () => {
  it('says too short under 12 characters, whatever they are', () => {
    expect(passwordStrength('Xy7$kq!2Lm')).toBe('too-short');
  });
  it('rates a long passphrase strong and a repeated or common one weak', () => {
    expect(passwordStrength('quatre chevaux boivent au lavoir')).toBe('strong');
    expect(passwordStrength('aaaaaaaaaaaaaa')).toBe('weak');
    expect(passwordStrength('motdepasse1234')).toBe('weak');
  });
  it('counts the person’s own name or email against the password', () => {
    const alone = passwordStrength('dominique-2026-nord');
    const own = passwordStrength('dominique-2026-nord', ['dominique@example.org']);
    const rank = ['too-short', 'weak', 'fair', 'strong'];
    expect(rank.indexOf(own)).toBeLessThan(rank.indexOf(alone));
  });
});

describe('joining and reset calls', () => {
  it('a join answers the dataset and role; a refusal keeps the server code', async () => {
    expect(
      await joinWithNewAccount(answering(201, { datasetId: 'parcs', role: 'editor' }), 'dpi_x', {
        email: ' a@example.org ',
        name: 'A',
        password: 'p',
      }),
    ).toEqual({ ok: true, kind: 'dataset', datasetId: 'parcs', role: 'editor' });
    const urls: string[] = [];
    const hubAnswer = (async (url: RequestInfo | URL) => {
      urls.push(String(url));
      return new Response(JSON.stringify({ hubId: 'h1', hubName: 'Hub Ouest' }), { status: 201 });
    }) as typeof fetch;
    expect(
      await joinWithNewAccount(hubAnswer, 'dph_x', { email: 'a@example.org', name: 'A', password: 'p' }),
    ).toEqual({
      ok: true,
      kind: 'hub',
      hubName: 'Hub Ouest',
    });
    expect(urls).toEqual(['/api/hub-invites/dph_x/join']);
    expect(
      await joinWithNewAccount(answering(409, { error: { code: 'email_taken' } }), 'dpi_x', {
        email: 'a@example.org',
        name: 'A',
        password: 'p',
      }),
    ).toEqual({ ok: false, code: 'email_taken' });
  });
  it('a reset link is mailed or given to copy; a spent link says reset_used', async () => {
    expect(
      await makeResetLink(
        answering(201, { emailed: false, link: 'http://x/reset/dpp_1', expiresAt: 5 }),
        'u1',
      ),
    ).toEqual({
      ok: true,
      emailed: false,
      link: 'http://x/reset/dpp_1',
      expiresAt: 5,
    });
    expect(
      await setPasswordWithLink(answering(410, { error: { code: 'reset_used' } }), 'dpp_1', 'p'),
    ).toEqual({
      ok: false,
      code: 'reset_used',
    });
  });
});
