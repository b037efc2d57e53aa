/**
 * What every WebhookStore promises, stated once and run against each backend: the cursor moves
 * only with a delivered change and survives a reopen, failures turn a webhook off, the lease is
 * held by one holder at a time.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEPT_DELIVERIES, type WebhookDelivery } from '../webhook-store.ts';
import type { OpenBackend, StoreBackend } from './backends.ts';

const delivery = (eventId: string, status: WebhookDelivery['status'], at = 1): WebhookDelivery => ({
  eventId,
  status,
  at,
  responseCode: status === 'delivered' ? 200 : 503,
  error: status === 'delivered' ? null : 'HTTP 503',
});

export function webhookStoreContract(backend: StoreBackend): void {
  describe(`WebhookStore on ${backend.name}`, () => {
    let store: OpenBackend;
    beforeEach(async () => {
      store = await backend.open();
    });
    afterEach(async () => {
      await store.dispose();
    });

    it('registers, lists per dataset, removes only within its dataset', async () => {
      const a = await store.webhooks.register({
        datasetId: 'd1',
        url: 'https://a.example/',
        secret: 'whsec_x',
        cursor: 'c0',
      });
      await store.webhooks.register({
        datasetId: 'd2',
        url: 'https://b.example/',
        secret: 'whsec_y',
        cursor: null,
      });
      const other = (await store.another()).webhooks;
      expect(await other.list('d1')).toEqual([a]);
      expect(a).toMatchObject({ enabled: true, failures: 0, disabledReason: null, cursor: 'c0' });
      expect((await other.enabled()).map((w) => w.datasetId).sort()).toEqual(['d1', 'd2']);
      expect(await store.webhooks.remove('d2', a.id)).toBe(false);
      expect(await store.webhooks.remove('d1', a.id)).toBe(true);
      expect(await other.get(a.id)).toBeNull();
    });

    it('moves the cursor only with a delivered change, and keeps the newest deliveries first', async () => {
      const hook = await store.webhooks.register({
        datasetId: 'd',
        url: 'https://a.example/',
        secret: 's',
        cursor: null,
      });
      await store.webhooks.recordFailure(hook.id, delivery('c1', 'failed', 1), 10);
      await store.webhooks.recordDelivery(hook.id, delivery('test_1', 'delivered', 2));
      expect(await store.webhooks.get(hook.id)).toMatchObject({ cursor: null, failures: 1 });
      await store.webhooks.recordDelivery(hook.id, delivery('c1', 'delivered', 3), 'c1');
      const other = (await store.another()).webhooks;
      expect(await other.get(hook.id)).toMatchObject({ cursor: 'c1', failures: 0 });
      expect((await other.deliveries(hook.id)).map((d) => d.eventId)).toEqual(['c1', 'test_1', 'c1']);
      expect((await other.deliveries(hook.id))[2]).toEqual(delivery('c1', 'failed', 1));
      for (let i = 0; i < KEPT_DELIVERIES + 5; i++)
        await store.webhooks.recordDelivery(hook.id, delivery(`test_${i}`, 'delivered'));
      const kept = await other.deliveries(hook.id);
      expect(kept.length).toBe(KEPT_DELIVERIES);
      expect(kept[0]!.eventId).toBe(`test_${KEPT_DELIVERIES + 4}`);
    });

    it('turns a webhook off after N failures in a row, and on again with its failures forgotten', async () => {
      const hook = await store.webhooks.register({
        datasetId: 'd',
        url: 'https://a.example/',
        secret: 's',
        cursor: null,
      });
      for (let i = 0; i < 2; i++) await store.webhooks.recordFailure(hook.id, delivery('c1', 'failed'), 3);
      expect(await store.webhooks.get(hook.id)).toMatchObject({ enabled: true, failures: 2 });
      const off = await store.webhooks.recordFailure(hook.id, delivery('c1', 'failed'), 3);
      expect(off).toMatchObject({ enabled: false, failures: 3 });
      expect(off?.disabledReason).toMatch(/3/);
      expect(await store.webhooks.enabled()).toEqual([]);
      expect(await store.webhooks.enable('other', hook.id)).toBe(false);
      expect(await store.webhooks.enable('d', hook.id)).toBe(true);
      expect(await store.webhooks.get(hook.id)).toMatchObject({
        enabled: true,
        failures: 0,
        disabledReason: null,
      });
    });

    it('lets one holder at a time hold a webhook’s lease', async () => {
      const hook = await store.webhooks.register({
        datasetId: 'd',
        url: 'https://a.example/',
        secret: 's',
        cursor: null,
      });
      const contender = backend.shared ? (await store.another()).webhooks : store.webhooks;
      let release = () => {};
      const held = store.webhooks.lease(
        hook.id,
        () =>
          new Promise<string>((done) => {
            release = () => done('first');
          }),
      );
      await new Promise((r) => setTimeout(r, 20));
      expect(await contender.lease(hook.id, async () => 'second')).toBeNull();
      release();
      expect(await held).toBe('first');
      expect(await contender.lease(hook.id, async () => 'second')).toBe('second');
    });
  });
}
