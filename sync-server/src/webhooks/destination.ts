/**
 * Whether a webhook may be sent to a URL: an absolute http(s) URL without credentials whose host
 * resolves only to public addresses, unless the instance allows private ones
 * (`DATAPATCH_WEBHOOKS_ALLOW_PRIVATE=1`, for tests and closed networks). Invariants: every address
 * the name resolves to is checked (one internal address is enough to refuse); the addresses
 * checked are returned so a deliverer can connect to them and not resolve the name again.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { WebhookErrorCode } from '@datapatch/protocol';

/** Loopback, private, link-local, shared, documentation, multicast and reserved ranges. */
const INTERNAL = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 3],
] as const)
  INTERNAL.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  INTERNAL.addSubnet(net, prefix, 'ipv6');

/** Whether an IP address is internal; an IPv4-mapped IPv6 address is judged as its IPv4. */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return INTERNAL.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return INTERNAL.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export type DestinationCheck =
  | { ok: true; url: URL; addresses: string[] }
  | { ok: false; code: WebhookErrorCode; message: string };

export type Resolve = (host: string) => Promise<string[]>;

const systemResolve: Resolve = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((found) => found.address);

export async function checkDestination(
  text: string,
  options: { allowPrivate: boolean; resolve?: Resolve },
): Promise<DestinationCheck> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, code: WebhookErrorCode.badUrl, message: 'Not an absolute URL' };
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password)
    return {
      ok: false,
      code: WebhookErrorCode.badUrl,
      message: 'An http(s) URL without a user name or password',
    };
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await (options.resolve ?? systemResolve)(host);
  } catch {
    addresses = [];
  }
  if (addresses.length === 0)
    return { ok: false, code: WebhookErrorCode.unresolved, message: `${host} names no address` };
  if (!options.allowPrivate && addresses.some(isInternalAddress))
    return {
      ok: false,
      code: WebhookErrorCode.privateAddress,
      message: `${host} is a private or loopback address; this instance sends webhooks only to public ones`,
    };
  return { ok: true, url, addresses };
}
