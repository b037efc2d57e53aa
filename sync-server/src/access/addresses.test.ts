import { describe, expect, it } from 'vitest';
import { testDependencies } from '../testing/access-dependencies.ts';
import { addressKey, hashAddress } from './addresses.ts';

describe('address hashing', () => {
  it('the same address gives the same hash, another address another hash', async () => {
    const deps = testDependencies();
    expect(await hashAddress(deps, '203.0.113.7')).toBe(await hashAddress(deps, '203.0.113.7'));
    expect(await hashAddress(deps, '203.0.113.7')).not.toBe(await hashAddress(deps, '203.0.113.8'));
    expect(await hashAddress(deps, '203.0.113.7')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('two instances hash the same address differently (salt per instance)', async () => {
    const one = testDependencies({ seed: 1 });
    const two = testDependencies({ seed: 2 });
    expect(await hashAddress(one, '203.0.113.7')).not.toBe(await hashAddress(two, '203.0.113.7'));
  });

  it('an IPv4 address seen through an IPv6 socket counts as the same address', async () => {
    const deps = testDependencies();
    expect(await hashAddress(deps, '::ffff:203.0.113.7')).toBe(await hashAddress(deps, '203.0.113.7'));
  });

  it('all addresses of one IPv6 /64 count as one address, whatever their spelling', () => {
    expect(addressKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0DB8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('64:ff9b::192.0.2.33')).toBe('64:ff9b:0:0::/64');
    expect(addressKey('2001:db8:1:3::1')).not.toBe(addressKey('2001:db8:1:2::1'));
  });

  it('the clear address is stored nowhere in the database', async () => {
    const deps = testDependencies();
    await hashAddress(deps, '198.51.100.23');
    const dump = JSON.stringify(deps.db.prepare('SELECT name, hex(value) AS v FROM instance_secrets').all());
    expect(dump).not.toContain('198.51.100.23');
    expect(dump).not.toContain(Buffer.from('198.51.100.23').toString('hex').toUpperCase());
  });
});
