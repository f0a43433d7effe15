import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookVerificationError } from './errors.js';

/**
 * Verifies a webhook delivery of the bus (Standard Webhooks: `webhook-signature: v1,<base64 HMAC-SHA256>` over
 * `<webhook-id>.<webhook-timestamp>.<raw body>`, keyed with the base64 part of the `whsec_` secret) and returns the
 * parsed event. The signature covers the bytes as sent: pass the raw body, never a parsed and re-serialised one.
 *
 * @param {Buffer|Uint8Array|string} rawBody the request body exactly as received
 * @param {object|Headers|Map} headers the request headers (any case)
 * @param {string} secret the subscription's `whsec_...` secret
 * @param {{toleranceSeconds?: number, now?: () => number}} [options]
 * @returns {object} the event
 * @throws {WebhookVerificationError} when the signature, the timestamp or the body does not verify
 */
export function verifyWebhook(rawBody, headers, secret, options = {}) {
  const body = bytes(rawBody);
  if (typeof secret !== 'string' || secret === '') throw new TypeError('secret is required (whsec_...)');
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) {
    throw new WebhookVerificationError('missing webhook-id, webhook-timestamp or webhook-signature header');
  }
  if (!/^\d+$/.test(timestamp)) throw new WebhookVerificationError('webhook-timestamp is not Unix seconds');
  const tolerance = options.toleranceSeconds ?? 300;
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > tolerance) {
    throw new WebhookVerificationError(`webhook-timestamp is more than ${tolerance} s away from now`);
  }
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
  const expected = createHmac('sha256', key)
    .update(`${id}.${timestamp}.`, 'utf8')
    .update(body)
    .digest();
  const valid = signatures.split(' ').some((candidate) => {
    const [version, value] = candidate.split(',', 2);
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!valid) throw new WebhookVerificationError('no webhook-signature matches the body');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new WebhookVerificationError('the signed body is not JSON');
  }
}

function bytes(rawBody) {
  if (typeof rawBody === 'string') return Buffer.from(rawBody, 'utf8');
  if (rawBody instanceof Uint8Array) return Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength);
  throw new TypeError(
    'rawBody must be the request body as received (Buffer, Uint8Array or string), not a parsed object: '
      + 'a re-serialised body does not match the signature (Express: express.raw(); Fastify: parseAs "buffer")',
  );
}

function header(headers, name) {
  if (!headers) return undefined;
  const value = typeof headers.get === 'function'
    ? headers.get(name)
    : Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(value) ? value[0] : (value ?? undefined);
}
