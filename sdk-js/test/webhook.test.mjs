import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { verifyWebhook, WebhookVerificationError } from '../index.js';

// the Standard Webhooks reference vector, also checked by the bus's WebhookSignatureTest
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TS = '1614265330';
const BODY = '{"test": 2432232314}';
const SIGNATURE = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
const at = () => Number(TS) * 1000;
const headers = (signature = SIGNATURE, timestamp = TS) => ({
  'webhook-id': ID, 'webhook-timestamp': timestamp, 'webhook-signature': signature, 'content-type': 'application/json',
});

describe('verifyWebhook', () => {
  it('verifies the reference vector from a Buffer and a string, and returns the event', () => {
    assert.deepEqual(verifyWebhook(Buffer.from(BODY), headers(), SECRET, { now: at }), { test: 2432232314 });
    assert.deepEqual(verifyWebhook(BODY, headers(), SECRET, { now: at }), { test: 2432232314 });
    assert.deepEqual(verifyWebhook(new Uint8Array(Buffer.from(BODY)), new Headers(headers()), SECRET, { now: at }), { test: 2432232314 });
  });

  it('accepts any one of several space-separated signatures and headers in any case', () => {
    const mixed = { 'Webhook-Id': ID, 'Webhook-Timestamp': TS, 'Webhook-Signature': `v1,bm9wZQ== ${SIGNATURE}` };
    assert.deepEqual(verifyWebhook(BODY, mixed, SECRET, { now: at }), { test: 2432232314 });
  });

  it('refuses a body that was parsed and serialised again', () => {
    const reserialised = JSON.stringify(JSON.parse(BODY));
    assert.throws(() => verifyWebhook(reserialised, headers(), SECRET, { now: at }), WebhookVerificationError);
    assert.throws(() => verifyWebhook(JSON.parse(BODY), headers(), SECRET, { now: at }), {
      name: 'TypeError', message: /not a parsed object/,
    });
  });

  it('refuses another secret, a tampered body and a missing header', () => {
    const other = `whsec_${Buffer.from('another secret').toString('base64')}`;
    assert.throws(() => verifyWebhook(BODY, headers(), other, { now: at }), /no webhook-signature matches/);
    assert.throws(() => verifyWebhook(BODY.replace('2', '3'), headers(), SECRET, { now: at }), /no webhook-signature matches/);
    const { 'webhook-signature': _, ...unsigned } = headers();
    assert.throws(() => verifyWebhook(BODY, unsigned, SECRET, { now: at }), /missing/);
  });

  it('refuses a timestamp more than five minutes away, even when signed', () => {
    const late = String(Number(TS) + 301);
    const sig = `v1,${createHmac('sha256', Buffer.from(SECRET.slice(6), 'base64')).update(`${ID}.${late}.${BODY}`).digest('base64')}`;
    assert.deepEqual(verifyWebhook(BODY, headers(sig, late), SECRET, { now: () => (Number(late) + 300) * 1000 }), { test: 2432232314 });
    assert.throws(() => verifyWebhook(BODY, headers(sig, late), SECRET, { now: at }), /more than 300 s/);
  });
});
