import { EventBusError } from './errors.js';

const FATAL = new Set([400, 401, 403, 404]);

/**
 * A pull subscription's consumer loop: leases events (`POST .../pull`, a long poll), runs the handler for each,
 * acks successes in batches (`POST .../ack` with many ids) and nacks failures (`POST .../nack`, retried by the
 * subscription's policy). Events of one partition key run one at a time in the order leased; on an ordered
 * subscription the bus returns the rest of a key's run to the queue when one of its events is nacked, so those
 * are not handed to the handler. Transient failures back off and go on; `close()` stops pulling, lets running
 * handlers finish and sends the last acks.
 */
export class Subscription {
  constructor(transport, subscriptionId, handler, options = {}) {
    if (typeof subscriptionId !== 'string' || subscriptionId === '') {
      throw new EventBusError('subscriptionId must be a non-empty string', { errorCode: 'INVALID_ARGUMENT' });
    }
    if (typeof handler !== 'function') {
      throw new EventBusError('handler must be a function', { errorCode: 'INVALID_ARGUMENT' });
    }
    this.transport = transport;
    this.id = subscriptionId;
    this.path = `/v1/subscriptions/${encodeURIComponent(subscriptionId)}`;
    this.handler = handler;
    this.maxEvents = options.maxEvents ?? 50;
    this.waitMillis = options.waitMillis ?? 5000;
    this.ackDeadlineMillis = options.ackDeadlineMillis ?? 30_000;
    this.ackLingerMs = options.ackLingerMs ?? 20;
    this.onError = options.onError ?? ((e) => console.error(`eventbus subscription ${subscriptionId}: ${e.message}`));
    this.closing = false;
    this.acks = [];
    this.ackTimer = null;
    this.ackSends = new Set();
    this.stats = { pulls: 0, ackRequests: 0, nackRequests: 0 };
    this.done = this.run();
    this.done.catch(() => {});
  }

  async run() {
    let failures = 0;
    try {
      const subscription = await this.transport.request('GET', this.path);
      this.ordered = subscription?.ordering !== 'unordered';
      while (!this.closing) {
        let leased;
        try {
          this.stats.pulls++;
          const answer = await this.transport.request(
            'POST',
            `${this.path}/pull`,
            JSON.stringify({
              maxEvents: this.maxEvents,
              waitMillis: this.waitMillis,
              ackDeadlineMillis: this.ackDeadlineMillis,
            }),
            { timeoutMs: this.waitMillis + this.transport.requestTimeoutMs, retry: false },
          );
          leased = answer.events;
          failures = 0;
        } catch (e) {
          if (e instanceof EventBusError && FATAL.has(e.status)) throw e;
          this.onError(e);
          const delay = e.retryAfterMs ?? this.transport.backoff(Math.min(failures++, 10));
          await this.transport.sleep(delay);
          continue;
        }
        await this.handle(leased);
      }
    } finally {
      await this.flushAcks();
    }
  }

  async handle(leased) {
    const byKey = new Map();
    leased.forEach((l, i) => {
      const key = l.event?.metadata?.partitionKey ?? `\u0000${i}`;
      if (!byKey.has(key)) byKey.set(key, []);
      byKey.get(key).push(l);
    });
    await Promise.all([...byKey.values()].map((run) => this.handleRun(run)));
  }

  async handleRun(run) {
    for (const l of run) {
      try {
        await this.handler(l.event, { attempt: l.attempt, replay: l.replay, traceparent: l.traceparent });
        this.ack(l.event.id);
      } catch (e) {
        await this.nack(l.event.id, e);
        if (this.ordered) return;
      }
    }
  }

  ack(eventId) {
    this.acks.push(eventId);
    if (this.acks.length >= 500) this.sendAcks();
    else if (this.ackTimer === null) this.ackTimer = setTimeout(() => this.sendAcks(), this.ackLingerMs);
  }

  sendAcks() {
    if (this.ackTimer !== null) {
      clearTimeout(this.ackTimer);
      this.ackTimer = null;
    }
    const ids = this.acks.splice(0, 500);
    if (ids.length === 0) return;
    this.stats.ackRequests++;
    const send = this.transport
      .request('POST', `${this.path}/ack`, JSON.stringify({ eventIds: ids }))
      .catch((e) => this.onError(new EventBusError(`ack of ${ids.length} events failed (they come again): ${e.message}`, e)))
      .finally(() => this.ackSends.delete(send));
    this.ackSends.add(send);
    if (this.acks.length > 0) this.sendAcks();
  }

  async nack(eventId, error) {
    const reason = String(error?.message ?? error).slice(0, 500) || 'handler failed';
    this.stats.nackRequests++;
    try {
      await this.transport.request('POST', `${this.path}/nack`, JSON.stringify({ eventIds: [eventId], reason }));
    } catch (e) {
      this.onError(new EventBusError(`nack of ${eventId} failed (it comes again after its lease): ${e.message}`, e));
    }
  }

  async flushAcks() {
    this.sendAcks();
    await Promise.all([...this.ackSends]);
  }

  /** Stops pulling after the current pull, waits for running handlers and sends the last acks. */
  async close() {
    this.closing = true;
    try {
      await this.done;
    } catch {
      // a subscription that failed is closed too; its error is in `done`
    }
  }
}
