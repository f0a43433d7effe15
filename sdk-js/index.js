import { Publisher } from './src/publisher.js';
import { Subscription } from './src/subscriber.js';
import { Transport } from './src/transport.js';

export { EventBusError, WebhookVerificationError } from './src/errors.js';
export { verifyWebhook } from './src/webhook.js';
export { Subscription } from './src/subscriber.js';
export { generateTypes } from './src/types.js';

/** A connection to the bus for one service: publish with linger batching, subscribe over the pull API. */
export class EventBus {
  constructor(transport, options) {
    this.transport = transport;
    this.publisher = new Publisher(transport, { ...options, source: options.source ?? transport.token?.service });
    this.subscriptions = new Set();
  }

  /**
   * Exchanges the API key for a token (POST /v1/auth/token; refreshed before it expires) and returns the client.
   * @returns {Promise<EventBus>}
   */
  static async connect(url, apiKey, options = {}) {
    const transport = new Transport(url, apiKey, options);
    await transport.currentToken();
    return new EventBus(transport, options);
  }

  /** @returns {string|undefined} the service the API key belongs to (the default `source`) */
  get service() {
    return this.transport.token?.service;
  }

  /** @returns {Promise<object>} the event's receipt once the bus stored it */
  publish(type, data, opts) {
    return this.publisher.publish(type, data, opts);
  }

  /** @returns {Promise<void>} once every publish call made so far is settled */
  flush() {
    return this.publisher.flush();
  }

  /** @returns {Subscription} a running consumer of the pull subscription */
  subscribe(subscriptionId, handler, options) {
    const sub = new Subscription(this.transport, subscriptionId, handler, options);
    this.subscriptions.add(sub);
    sub.done.finally(() => this.subscriptions.delete(sub)).catch(() => {});
    return sub;
  }

  /** Settles every pending publish and closes every subscription (running handlers finish, acks are sent). */
  async close() {
    await Promise.all([this.flush(), ...[...this.subscriptions].map((s) => s.close())]);
  }
}
