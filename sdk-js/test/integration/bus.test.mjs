// Run by JsSdkIT against the deployed bus: EVENTBUS_URL, EVENTBUS_API_KEY (a service that may publish sdkjs.* and
// user.created, and subscribe to sdkjs.*), EVENTBUS_RUN (a fresh run id), EVENTBUS_WEBHOOK_HOST (an address the
// bus may call).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { EventBus, verifyWebhook, WebhookVerificationError } from '../../index.js';

const { EVENTBUS_URL: url, EVENTBUS_API_KEY: apiKey, EVENTBUS_RUN: run, EVENTBUS_WEBHOOK_HOST: hookHost } = process.env;
const configured = Boolean(url && apiKey && run && hookHost);

async function until(what, condition, seconds = 60) {
  for (let i = 0; i < seconds * 20 && !condition(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(condition(), what);
}

describe('the SDK against the deployed bus', { skip: configured ? false : 'EVENTBUS_URL, EVENTBUS_API_KEY, EVENTBUS_RUN and EVENTBUS_WEBHOOK_HOST are not set: run through JsSdkIT' }, () => {
  let bus;
  let token;
  const batchRequests = [];
  let retries = 0;
  const api = async (method, path, body) => {
    const r = await fetch(url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, body: await r.json() };
  };

  before(async () => {
    const counting = (input, init) => {
      if (String(input).endsWith('/v1/events/batch')) batchRequests.push(JSON.parse(init.body).length);
      return fetch(input, init);
    };
    bus = await EventBus.connect(url, apiKey, { fetch: counting, onRetry: () => retries++ });
    const r = await fetch(`${url}/v1/auth/token`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apiKey }),
    });
    token = (await r.json()).accessToken;
  });
  after(() => bus?.close());

  it('publishes 500 concurrent calls in far fewer requests, each with its own receipt', async () => {
    batchRequests.length = 0;
    retries = 0;
    const ids = Array.from({ length: 500 }, (_, i) => `jsit-${run}-bulk-${i}`);
    const receipts = await Promise.all(
      ids.map((id, i) => bus.publish(`sdkjs.bulk`, { n: i }, { id, partitionKey: `k-${i % 7}` })),
    );
    assert.deepEqual(receipts.map((r) => r.eventId), ids);
    assert.deepEqual(new Set(receipts.map((r) => r.status)), new Set(['accepted']));
    assert.equal(new Set(receipts.map((r) => r.receipt)).size, 500, 'a receipt per event');
    assert.deepEqual(batchRequests, Array(1 + retries).fill(500), 'the 500 calls went out as one batch (and its retries)');
  });

  it('fails only the call whose event the bus refused', async () => {
    const [ok1, bad, ok2] = await Promise.allSettled([
      bus.publish('user.created', { userId: 'u-1', email: 'one@example.com' }, { id: `jsit-${run}-ok-1` }),
      bus.publish('user.created', { userId: 'u-2', email: 'not-an-email' }, { id: `jsit-${run}-bad` }),
      bus.publish('user.created', { userId: 'u-3', email: 'three@example.com' }, { id: `jsit-${run}-ok-2` }),
    ]);
    assert.equal(ok1.value.status, 'accepted');
    assert.equal(ok2.value.status, 'accepted');
    assert.equal(bad.reason.errorCode, 'SCHEMA_VALIDATION_ERROR');
    assert.equal(bad.reason.status, 400);
    assert.equal(bad.reason.details.field, 'data.email');
    assert.equal(bad.reason.details.eventId, `jsit-${run}-bad`);

    const [again, taken] = await Promise.allSettled([
      bus.publish('user.created', { userId: 'u-1', email: 'one@example.com' }, { id: `jsit-${run}-ok-1` }),
      bus.publish('user.created', { userId: 'u-9', email: 'nine@example.com' }, { id: `jsit-${run}-ok-2` }),
    ]);
    assert.equal(again.value.status, 'duplicate');
    assert.equal(again.value.receipt, ok1.value.receipt, 'a repeat gets the first receipt');
    assert.equal(taken.reason.errorCode, 'DUPLICATE_EVENT_ID');
  });

  it('receives a pull subscription\'s events, acks them in batches, and a throw comes again', async () => {
    const type = `sdkjs.pull.r${run}`;
    const created = await api('PUT', `/v1/subscriptions/jsit-${run}-pull`, {
      eventTypes: [type], target: { type: 'pull' }, ordering: 'unordered', retryPolicy: { initialDelayMillis: 200 },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const ids = Array.from({ length: 20 }, (_, i) => `jsit-${run}-pull-${i}`);
    await Promise.all(ids.map((id, i) => bus.publish(type, { n: i }, { id })));

    const seen = new Map();
    const sub = bus.subscribe(`jsit-${run}-pull`, async (event, delivery) => {
      seen.set(event.id, [...(seen.get(event.id) ?? []), delivery.attempt]);
      if (event.id === ids[3] && delivery.attempt === 1) throw new Error('not yet');
    }, { waitMillis: 1000 });
    await until('every event handled, the failed one twice', () => ids.every((id) => seen.has(id)) && seen.get(ids[3]).length === 2);
    await sub.close();
    assert.deepEqual(seen.get(ids[3]), [1, 2]);
    assert.deepEqual([...seen.keys()].sort(), [...ids].sort());
    assert.ok(sub.stats.ackRequests < 20, `20 acks in ${sub.stats.ackRequests} requests`);
    assert.equal(sub.stats.nackRequests, 1);
  });

  it('verifies a real webhook delivery on its raw body', async () => {
    const type = `sdkjs.hook.r${run}`;
    const received = [];
    let secret;
    const server = createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        try {
          received.push({ event: verifyWebhook(raw, req.headers, secret), raw, headers: req.headers });
          res.writeHead(204).end();
        } catch (e) {
          received.push({ error: e });
          res.writeHead(400).end();
        }
      });
    });
    await new Promise((r) => server.listen(0, hookHost, r));
    try {
      const created = await api('PUT', `/v1/subscriptions/jsit-${run}-hook`, {
        eventTypes: [type], target: { type: 'webhook', url: `http://${hookHost}:${server.address().port}/hooks` },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      secret = created.body.target.secret;
      const receipt = await bus.publish(type, { greeting: 'grüße' }, { id: `jsit-${run}-hook-1`, correlationId: 'corr-js' });
      await until('one delivery', () => received.length > 0);
      assert.equal(received[0].error, undefined, String(received[0].error));
      assert.equal(received[0].event.id, receipt.eventId);
      assert.deepEqual(received[0].event.data, { greeting: 'grüße' });
      assert.equal(received[0].event.metadata.correlationId, 'corr-js');
      const other = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
      assert.throws(() => verifyWebhook(received[0].raw, received[0].headers, other), WebhookVerificationError);
      const tampered = Buffer.from(received[0].raw.toString('utf8').replace('grüße', 'grusse'));
      assert.throws(() => verifyWebhook(tampered, received[0].headers, secret), WebhookVerificationError);
    } finally {
      server.closeAllConnections();
      server.close();
      await api('DELETE', `/v1/subscriptions/jsit-${run}-hook`).catch(() => {});
    }
  });
});
