/**
 * Network addresses are never stored in clear: everything that keys on an address (rate
 * limits, pending caps, the proposals table) uses `hashAddress`, an HMAC under a random
 * per-instance salt kept in the access store. IPv6 addresses are cut to their /64 first, because
 * one home or phone holds a whole /64 and could otherwise dodge every limit.
 */
import { createHmac } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { AccessStore } from '../store/access-store.ts';
import type { AccessDependencies } from './dependencies.ts';

// Secrets never change once written, so each store's are read once per process.
const secretsByStore = new WeakMap<AccessStore, Map<string, Buffer>>();

function known(deps: AccessDependencies): Map<string, Buffer> {
  let secrets = secretsByStore.get(deps.store);
  if (!secrets) {
    secrets = new Map();
    secretsByStore.set(deps.store, secrets);
  }
  return secrets;
}

/** The named secret, created on first use. Two processes racing both end with the same value. */
export async function instanceSecret(deps: AccessDependencies, name: string): Promise<Buffer> {
  const secrets = known(deps);
  const cached = secrets.get(name);
  if (cached) return cached;
  const value = await deps.store.instanceSecret(name, deps.random(32), deps.clock());
  secrets.set(name, value);
  return value;
}

function expandIPv6(address: string): string[] | null {
  let text = address;
  const lastColon = text.lastIndexOf(':');
  const maybeV4 = text.slice(lastColon + 1);
  if (isIPv4(maybeV4)) {
    const [a, b, c, d] = maybeV4.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = halves.length === 2 ? 8 - head.length - rest.length : 0;
  if (missing < 0) return null;
  const groups = [...head, ...Array<string>(missing).fill('0'), ...rest];
  if (groups.length !== 8) return null;
  return groups.map((group) => Number.parseInt(group || '0', 16).toString(16));
}

/**
 * The form an address is hashed in: IPv4 as is (IPv4-mapped IPv6 unwrapped), IPv6 as its
 * /64 prefix. Anything else (a Unix socket path, garbage) is kept verbatim, lower-cased.
 */
export function addressKey(address: string): string {
  const bare = address.trim().toLowerCase().replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (mapped?.[1] && isIPv4(mapped[1])) return mapped[1];
  if (isIPv4(bare)) return bare;
  if (isIPv6(bare)) {
    const groups = expandIPv6(bare);
    if (groups) return `${groups.slice(0, 4).join(':')}::/64`;
  }
  return bare;
}

/** Hex HMAC-SHA256 of the address key under the instance's address salt. */
export async function hashAddress(deps: AccessDependencies, address: string): Promise<string> {
  return hashAddressWith(await instanceSecret(deps, 'address-salt'), address);
}

/** `hashAddress` without waiting, once the salt is read: for tests that hash many addresses. */
export async function addressHasher(deps: AccessDependencies): Promise<(address: string) => string> {
  const salt = await instanceSecret(deps, 'address-salt');
  return (address) => hashAddressWith(salt, address);
}

function hashAddressWith(salt: Buffer, address: string): string {
  return createHmac('sha256', salt).update(addressKey(address)).digest('hex');
}
