import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { EventBus } from '../index.js';
import { startFakeBus } from './fake-bus.mjs';

const event = (id, key) => ({
  id, eventType: 'user.created', source: 'user-service', timestamp: '2026-12-07T02:00:00.000Z',
  data: { userId: id }, ...(key ? { metadata: { partitionKey: key } } : {}),
});

async function until(what, condition) {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(condition(), what);
}

describe('subscribe', () => {
  let fake;
  let bus;
  const errors = [];
  const options = { waitMillis: 50, onError: (e) => errors.push(e) };

  before(async () => {
    fake = await startFakeBus();
    bus = await EventBus.connect(fake.url, 'ebk_good', { sleep: async () => {} });
  });
  after(async () => {
    await bus.close();
    await fake.close();
  });
  beforeEach(() => {
    fake.acks.length = 0;
    fake.nacks.length = 0;
    fake.requests.length = 0;
    errors.length = 0;
  });

  it('hands each event to the handler and acks them in one request', async () => {
    fake.subscriptions.set('reports', { ordering: 'unordered' });
    fake.enqueue('reports', event('e1'), event('e2'), event('e3'));
    const seen = [];
    const sub = bus.subscribe('reports', async (e, delivery) => void seen.push([e.id, delivery.attempt]), options);
    await until('three acks', () => fake.acks.length === 3);
    await sub.close();
    assert.deepEqual(seen.sort(), [['e1', 1], ['e2', 1], ['e3', 1]]);
    assert.deepEqual(fake.acks.sort(), ['e1', 'e2', 'e3']);
    const ackRequests = fake.paths('/v1/subscriptions/reports/ack');
    assert.equal(ackRequests.length, 1);
    assert.deepEqual(fake.paths('/v1/subscriptions/reports/pull')[0].body, { maxEvents: 50, waitMillis: 50, ackDeadlineMillis: 30000 });
    assert.deepEqual(errors, []);
  });

  it('nacks an event whose handler throws, with the error as the reason, and acks the others', async () => {
    fake.subscriptions.set('flaky', { ordering: 'unordered' });
    fake.enqueue('flaky', event('ok-1'), event('boom'), event('ok-2'));
    const sub = bus.subscribe('flaky', async (e) => {
      if (e.id === 'boom') throw new Error('db busy');
    }, options);
    await until('two acks and a nack', () => fake.acks.length === 2 && fake.nacks.length === 1);
    await sub.close();
    assert.deepEqual(fake.nacks, [{ eventId: 'boom', reason: 'db busy' }]);
    assert.deepEqual(fake.acks.sort(), ['ok-1', 'ok-2']);
  });

  it('on an ordered subscription, stops a key\'s run at a failed event and goes on with other keys', async () => {
    fake.subscriptions.set('ordered', { ordering: 'ordered' });
    fake.enqueue('ordered', event('a1', 'a'), event('b1', 'b'), event('a2', 'a'), event('b2', 'b'));
    const seen = [];
    const sub = bus.subscribe('ordered', async (e) => {
      seen.push(e.id);
      if (e.id === 'a1') throw new Error('no');
    }, options);
    await until('b acked, a1 nacked', () => fake.acks.length === 2 && fake.nacks.length === 1);
    await sub.close();
    assert.deepEqual(seen.filter((id) => id.startsWith('a')), ['a1'], 'a2 is returned to the queue by the bus, not handled');
    assert.deepEqual(seen.filter((id) => id.startsWith('b')), ['b1', 'b2'], 'one key in order');
    assert.deepEqual(fake.acks, ['b1', 'b2']);
  });

  it('close waits for a running handler and sends its ack', async () => {
    fake.subscriptions.set('slow', { ordering: 'unordered' });
    fake.enqueue('slow', event('slow-1'));
    let release;
    let started;
    const running = new Promise((r) => (started = r));
    const sub = bus.subscribe('slow', async () => {
      started();
      await new Promise((r) => (release = r));
    }, options);
    await running;
    let closedYet = false;
    const closed = sub.close().then(() => (closedYet = true));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(closedYet, false, 'close waits while a handler runs');
    assert.deepEqual(fake.acks, []);
    release();
    await closed;
    assert.deepEqual(fake.acks, ['slow-1']);
    const pulls = fake.paths('/v1/subscriptions/slow/pull').length;
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(fake.paths('/v1/subscriptions/slow/pull').length, pulls, 'no pull after close');
  });

  it('goes on after a failed pull, reporting it', async () => {
    fake.subscriptions.set('bumpy', { ordering: 'unordered' });
    fake.script.push({ path: '/v1/subscriptions/bumpy/pull', status: 503, body: { status: 'error', errorCode: 'STORAGE_UNAVAILABLE', message: 'PostgreSQL unreachable', details: {} } });
    fake.enqueue('bumpy', event('after-outage'));
    const sub = bus.subscribe('bumpy', async () => {}, options);
    await until('acked', () => fake.acks.length === 1);
    await sub.close();
    assert.deepEqual(errors.map((e) => e.errorCode), ['STORAGE_UNAVAILABLE']);
  });

  it('stops with the bus error when the subscription is deleted while it runs', { timeout: 10_000 }, async () => {
    fake.subscriptions.set('doomed', { ordering: 'unordered' });
    fake.script.push({ path: '/v1/subscriptions/doomed/pull', status: 404, body: { status: 'error', errorCode: 'NOT_FOUND', message: "No subscription 'doomed'", details: {} } });
    const sub = bus.subscribe('doomed', async () => {}, options);
    await assert.rejects(sub.done, (e) => e.status === 404 && e.errorCode === 'NOT_FOUND');
    assert.deepEqual(errors, []);
  });

  it('stops with the bus error when the subscription does not exist', async () => {
    const sub = bus.subscribe('missing', async () => {}, options);
    await assert.rejects(sub.done, (e) => e.status === 404 && e.errorCode === 'NOT_FOUND');
    await sub.close();
  });
});
