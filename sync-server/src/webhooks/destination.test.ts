import { WebhookErrorCode } from '@datapatch/protocol';
import { describe, expect, it } from 'vitest';
import { checkDestination, isInternalAddress } from './destination.ts';

const names: Record<string, string[]> = {
  'hooks.example.org': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'rebind.example.org': ['93.184.215.14', '10.0.0.7'],
};
const resolve = async (host: string) => names[host] ?? [];

describe('where a webhook may be sent', () => {
  it('internal addresses, IPv4 and IPv6, mapped ones too, are internal; public ones are not', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
    ])
      expect(isInternalAddress(address), address).toBe(true);
    for (const address of ['93.184.215.14', '1.1.1.1', '2606:4700::1111', '::ffff:93.184.215.14'])
      expect(isInternalAddress(address), address).toBe(false);
  });

  it('a public host is accepted with the addresses it resolves to', async () => {
    const check = await checkDestination('https://hooks.example.org/datapatch', {
      allowPrivate: false,
      resolve,
    });
    expect(check).toMatchObject({ ok: true, addresses: names['hooks.example.org'] });
  });

  it('a loopback or private destination is refused unless the instance allows it, even when only one of its addresses is', async () => {
    for (const url of ['http://127.0.0.1:8080/hook', 'http://[::1]/hook', 'https://rebind.example.org/'])
      expect(await checkDestination(url, { allowPrivate: false, resolve }), url).toMatchObject({
        ok: false,
        code: WebhookErrorCode.privateAddress,
      });
    expect(
      await checkDestination('http://127.0.0.1:8080/hook', { allowPrivate: true, resolve }),
    ).toMatchObject({
      ok: true,
      addresses: ['127.0.0.1'],
    });
  });

  it('refuses what is not an http(s) URL, credentials in it, and a name with no address', async () => {
    for (const url of [
      'hooks.example.org/x',
      'ftp://hooks.example.org/',
      'file:///etc/passwd',
      'https://u:p@hooks.example.org/',
    ])
      expect(await checkDestination(url, { allowPrivate: true, resolve }), url).toMatchObject({
        ok: false,
        code: WebhookErrorCode.badUrl,
      });
    expect(
      await checkDestination('https://nowhere.example.org/', { allowPrivate: true, resolve }),
    ).toMatchObject({
      ok: false,
      code: WebhookErrorCode.unresolved,
    });
  });
});
