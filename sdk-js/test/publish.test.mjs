import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { EventBus, EventBusError } from '../index.js';
import { startFakeBus } from './fake-bus.mjs';

const user = (n) => ({ userId: `usr-${n}`, email: `u${n}@example.com` });

describe('publish', () => {
  let fake;
  const sleeps = [];
  const connect = (options = {}) =>
    EventBus.connect(fake.url, 'ebk_good', { sleep: async (ms) => void sleeps.push(ms), ...options });

  before(async () => {
    fake = await startFakeBus();
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.requests.length = 0;
    fake.script.length = 0;
    fake.validate = () => null;
    fake.burst = 2000;
    sleeps.length = 0;
  });

  it('sends concurrent calls as one batch request and resolves each with its own receipt', async () => {
    const bus = await connect();
    const ids = Array.from({ length: 50 }, (_, i) => `evt-many-${i}`);
    const receipts = await Promise.all(ids.map((id, i) => bus.publish('user.created', user(i), { id })));
    assert.deepEqual(receipts.map((r) => r.eventId), ids);
    assert.deepEqual(receipts.map((r) => r.status), ids.map(() => 'accepted'));
    assert.equal(new Set(receipts.map((r) => r.receipt)).size, 50);
    const batches = fake.paths('/v1/events/batch');
    assert.equal(batches.length, 1);
    assert.deepEqual(batches[0].body.map((e) => e.id), ids);
    assert.deepEqual(batches[0].body[0], {
      id: 'evt-many-0', eventType: 'user.created', source: 'test-service', data: user(0),
    });
  });

  it('sends a call made after the previous one settled in its own request', { timeout: 10_000 }, async () => {
    const bus = await connect();
    await bus.publish('user.created', user(1), { id: 'evt-seq-1' });
    await bus.publish('user.created', user(2), { id: 'evt-seq-2' });
    assert.deepEqual(fake.paths('/v1/events/batch').map((r) => r.body.map((e) => e.id)), [['evt-seq-1'], ['evt-seq-2']]);
  });

  it('splits at maxBatchEvents', async () => {
    const bus = await connect({ maxBatchEvents: 4 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => bus.publish('t.x', { i }, { id: `evt-split-${i}` })));
    assert.deepEqual(fake.paths('/v1/events/batch').map((r) => r.body.length), [4, 4, 2]);
  });

  it('fails only the call whose event the bus refused, and stores the rest', async () => {
    fake.validate = (e) => (e.data.email === 'bad' ? { status: 400, errorCode: 'SCHEMA_VALIDATION_ERROR', message: 'must be a valid email address', field: 'data.email' } : null);
    const bus = await connect();
    const calls = [
      bus.publish('user.created', user(1), { id: 'evt-ok-1' }),
      bus.publish('user.created', { userId: 'x', email: 'bad' }, { id: 'evt-bad' }),
      bus.publish('user.created', user(3), { id: 'evt-ok-3' }),
    ];
    const results = await Promise.allSettled(calls);
    assert.equal(results[0].value.eventId, 'evt-ok-1');
    assert.equal(results[2].value.eventId, 'evt-ok-3');
    assert.ok(results[1].reason instanceof EventBusError);
    assert.equal(results[1].reason.errorCode, 'SCHEMA_VALIDATION_ERROR');
    assert.equal(results[1].reason.status, 400);
    assert.deepEqual(results[1].reason.details, { field: 'data.email', eventId: 'evt-bad' });
    assert.deepEqual(fake.paths('/v1/events/batch').map((r) => r.body.map((e) => e.id)), [
      ['evt-ok-1', 'evt-bad', 'evt-ok-3'],
      ['evt-ok-1', 'evt-ok-3'],
    ]);
  });

  it('fails only the call whose id belongs to another event', async () => {
    const bus = await connect();
    await bus.publish('user.created', user(1), { id: 'evt-taken' });
    const results = await Promise.allSettled([
      bus.publish('user.created', user(2), { id: 'evt-taken' }),
      bus.publish('user.created', user(3), { id: 'evt-free' }),
    ]);
    assert.equal(results[0].reason.errorCode, 'DUPLICATE_EVENT_ID');
    assert.equal(results[0].reason.details.eventId, 'evt-taken');
    assert.equal(results[1].value.status, 'accepted');
  });

  it('halves a batch larger than the service may publish at once', async () => {
    fake.burst = 3;
    const bus = await connect();
    const receipts = await Promise.all(Array.from({ length: 5 }, (_, i) => bus.publish('t.x', { i }, { id: `evt-burst-${i}` })));
    assert.equal(receipts.length, 5);
    assert.deepEqual(fake.paths('/v1/events/batch').map((r) => r.body.length), [5, 3, 2]);
  });

  it('retries a batch that landed but whose answer was lost with the same event ids: the retry is a duplicate', async () => {
    const bus = await connect();
    fake.script.push({ path: '/v1/events/batch', process: true, drop: true });
    const receipt = await bus.publish('user.created', user(1), { id: 'evt-landed' });
    assert.equal(receipt.status, 'duplicate');
    assert.equal(receipt.eventId, 'evt-landed');
    const batches = fake.paths('/v1/events/batch');
    assert.equal(batches.length, 2);
    assert.equal(batches[1].raw, batches[0].raw, 'the same body, so the same event ids');
    assert.equal(sleeps.length, 1);
  });

  it('generates one event id per call and keeps it across retries', async () => {
    const bus = await connect();
    fake.script.push({ path: '/v1/events/batch', status: 503, body: { status: 'error', errorCode: 'STORAGE_UNAVAILABLE', message: 'down', details: {} }, headers: { 'retry-after': '5' } });
    const receipt = await bus.publish('user.created', user(1));
    const batches = fake.paths('/v1/events/batch');
    assert.equal(batches.length, 2);
    assert.match(receipt.eventId, /^[0-9a-f-]{36}$/);
    assert.equal(batches[0].body[0].id, receipt.eventId);
    assert.equal(batches[1].body[0].id, receipt.eventId);
    assert.deepEqual(sleeps, [5000], 'Retry-After: 5 is honoured');
  });

  it('honours Retry-After on 429 and gives the bus error after the last retry', async () => {
    const bus = await connect({ maxRetries: 2 });
    for (let i = 0; i < 3; i++) {
      fake.script.push({ path: '/v1/events/batch', status: 429, body: { status: 'error', errorCode: 'RATE_LIMITED', message: 'over its rate', details: {} }, headers: { 'retry-after': '2' } });
    }
    await assert.rejects(bus.publish('user.created', user(1), { id: 'evt-limited' }), (e) => e.errorCode === 'RATE_LIMITED' && e.status === 429);
    assert.deepEqual(sleeps, [2000, 2000]);
    assert.equal(fake.paths('/v1/events/batch').length, 3);
  });

  it('does not retry a refusal', async () => {
    const bus = await connect();
    fake.script.push({ path: '/v1/events/batch', status: 403, body: { status: 'error', errorCode: 'FORBIDDEN', message: 'no role', details: { requiredRoles: ['publisher', 'admin'] } } });
    await assert.rejects(bus.publish('user.created', user(1)), (e) => e.errorCode === 'FORBIDDEN' && e.details.requiredRoles.length === 2);
    assert.equal(fake.paths('/v1/events/batch').length, 1);
  });

  it('sends an event with an Idempotency-Key alone and retries it with the same key and body', async () => {
    const bus = await connect();
    fake.script.push({ path: '/v1/events', process: true, drop: true });
    const receipt = await bus.publish('order.placed', { orderId: 'o-1' }, { id: 'ord-1', idempotencyKey: 'order-o-1', partitionKey: 'cus-7' });
    assert.equal(receipt.eventId, 'ord-1');
    const singles = fake.paths('/v1/events');
    assert.equal(singles.length, 2);
    assert.deepEqual(singles.map((r) => r.headers['idempotency-key']), ['order-o-1', 'order-o-1']);
    assert.equal(singles[1].raw, singles[0].raw);
    assert.deepEqual(singles[0].body.metadata, { partitionKey: 'cus-7' });
    assert.equal(fake.paths('/v1/events/batch').length, 0);
  });

  it('refuses what cannot be an event before sending anything', async () => {
    const bus = await connect();
    await assert.rejects(bus.publish('', {}), (e) => e.errorCode === 'INVALID_ARGUMENT');
    await assert.rejects(bus.publish('t.x', [1]), (e) => e.errorCode === 'INVALID_ARGUMENT');
    await assert.rejects(bus.publish('t.x', { n: 1n }), (e) => e.errorCode === 'INVALID_ARGUMENT');
    assert.equal(fake.paths('/v1/events/batch').length, 0);
  });

  it('flush and close settle pending calls at once, without waiting out the linger', { timeout: 10_000 }, async () => {
    const bus = await connect({ lingerMs: 30_000 });
    const p = bus.publish('t.x', {}, { id: 'evt-flush' });
    await bus.close();
    assert.equal((await p).eventId, 'evt-flush');
  });
});

describe('connect and tokens', () => {
  let fake;
  before(async () => {
    fake = await startFakeBus();
  });
  after(() => fake.close());

  it('exchanges the API key and takes the service as the default source', async () => {
    const bus = await EventBus.connect(fake.url, 'ebk_good');
    assert.equal(bus.service, 'test-service');
  });

  it('refuses a bad key with the bus error', async () => {
    await assert.rejects(EventBus.connect(fake.url, 'ebk_bad'), (e) => e.status === 401 && e.errorCode === 'UNAUTHORIZED');
  });

  it('gets a new token when the bus answers 401, and retries the call once', async () => {
    const bus = await EventBus.connect(fake.url, 'ebk_good');
    const before = fake.exchanges;
    fake.tokens.clear();
    const r = await bus.publish('t.x', {}, { id: 'evt-after-401' });
    assert.equal(r.status, 'accepted');
    assert.equal(fake.exchanges, before + 1);
  });

  it('refreshes the token before it expires', async () => {
    let now = 1_000_000;
    const bus = await EventBus.connect(fake.url, 'ebk_good', { now: () => now });
    const before = fake.exchanges;
    await bus.publish('t.x', {}, { id: 'evt-fresh-1' });
    assert.equal(fake.exchanges, before);
    now += 900_000 * 0.8 + 1;
    await bus.publish('t.x', {}, { id: 'evt-fresh-2' });
    assert.equal(fake.exchanges, before + 1);
  });
});
