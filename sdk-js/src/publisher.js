import { randomUUID } from 'node:crypto';
import { EventBusError } from './errors.js';

const BATCH_PATH = '/v1/events/batch';

/**
 * Linger batching as Kafka's producer does it: publish calls made within `lingerMs` of the first pending one go to
 * the bus as one `POST /v1/events/batch`; while a batch is in flight the next one gathers. Each call's promise
 * settles with its own event's result. The bus refuses a whole batch for one bad event (naming its index): that
 * event's call fails alone and the rest are sent again. Requests are sent one after another (`maxInFlight` 1 by
 * default), so the events of one key keep the order of the calls.
 */
export class Publisher {
  constructor(transport, options = {}) {
    this.transport = transport;
    this.lingerMs = options.lingerMs ?? 2;
    this.maxBatchEvents = options.maxBatchEvents ?? 500;
    this.maxBatchBytes = options.maxBatchBytes ?? 4 * 1024 * 1024;
    this.maxInFlight = options.maxInFlight ?? 1;
    this.defaultSource = options.source;
    this.pending = [];
    this.pendingBytes = 0;
    this.timer = null;
    this.inFlight = 0;
    this.idle = [];
  }

  /** @returns {Promise<object>} the event's receipt once the bus stored it */
  publish(type, data, opts = {}) {
    let item;
    try {
      const envelope = this.envelope(type, data, opts);
      item = { envelope, json: JSON.stringify(envelope) };
    } catch (e) {
      return Promise.reject(e instanceof EventBusError ? e : invalid(`the event cannot be sent as JSON: ${e.message}`));
    }
    const promise = new Promise((resolve, reject) => Object.assign(item, { resolve, reject }));
    if (opts.idempotencyKey !== undefined) {
      this.sendSingle(item, opts.idempotencyKey);
      return promise;
    }
    this.pending.push(item);
    this.pendingBytes += item.json.length + 1;
    if (this.pending.length >= this.maxBatchEvents || this.pendingBytes >= this.maxBatchBytes) {
      this.flushSoon(0);
    } else {
      this.flushSoon(this.lingerMs);
    }
    return promise;
  }

  envelope(type, data, opts) {
    if (typeof type !== 'string' || type === '') throw invalid('type must be a non-empty string');
    if (data === null || typeof data !== 'object' || Array.isArray(data)) throw invalid('data must be a JSON object');
    const source = opts.source ?? this.defaultSource;
    if (!source) throw invalid('source is required: pass { source } to publish or connect');
    const metadata = { ...(opts.metadata ?? {}) };
    if (opts.partitionKey !== undefined) metadata.partitionKey = opts.partitionKey;
    if (opts.correlationId !== undefined) metadata.correlationId = opts.correlationId;
    const envelope = { id: opts.id ?? randomUUID(), eventType: type, source, data };
    if (opts.timestamp !== undefined) {
      envelope.timestamp = opts.timestamp instanceof Date ? opts.timestamp.toISOString() : opts.timestamp;
    }
    if (Object.keys(metadata).length > 0) envelope.metadata = metadata;
    return envelope;
  }

  flushSoon(delayMs) {
    if (this.timer !== null) {
      if (delayMs > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.drain();
    }, delayMs);
  }

  drain() {
    while (this.pending.length > 0 && this.inFlight < this.maxInFlight) {
      const batch = this.take();
      this.inFlight++;
      this.sendBatch(batch).finally(() => {
        this.inFlight--;
        // what gathered while this batch was in flight has lingered already
        if (this.pending.length > 0) this.drain();
        else if (this.inFlight === 0) this.idle.splice(0).forEach((resolve) => resolve());
      });
    }
  }

  take() {
    const batch = [];
    let bytes = 2;
    while (this.pending.length > 0 && batch.length < this.maxBatchEvents) {
      const size = this.pending[0].json.length + 1;
      if (batch.length > 0 && bytes + size > this.maxBatchBytes) break;
      batch.push(this.pending.shift());
      bytes += size;
      this.pendingBytes -= size;
    }
    return batch;
  }

  async sendBatch(items) {
    const queue = [items];
    while (queue.length > 0) {
      const batch = queue.shift();
      try {
        const answer = await this.transport.request('POST', BATCH_PATH, `[${batch.map((i) => i.json).join(',')}]`);
        batch.forEach((item, i) => settle(item, answer.receipts[i]));
      } catch (e) {
        const index = e instanceof EventBusError ? e.details?.index : undefined;
        if (Number.isInteger(index) && index >= 0 && index < batch.length && e.status >= 400 && e.status < 500) {
          // the bus named the one event it refused; nothing of the batch was stored
          batch[index].reject(forEvent(e, batch[index].envelope.id));
          const rest = batch.filter((_, i) => i !== index);
          if (rest.length > 0) queue.unshift(rest);
        } else if (batch.length > 1 && tooLarge(e)) {
          const half = Math.ceil(batch.length / 2);
          queue.unshift(batch.slice(0, half), batch.slice(half));
        } else {
          batch.forEach((item) => item.reject(e));
        }
      }
    }
  }

  async sendSingle(item, idempotencyKey) {
    this.inFlight++;
    try {
      const r = await this.transport.request('POST', '/v1/events', item.json, {
        headers: { 'idempotency-key': idempotencyKey },
      });
      item.resolve({ eventId: r.eventId, status: 'accepted', timestamp: r.timestamp, receipt: r.receipt });
    } catch (e) {
      item.reject(e);
    } finally {
      this.inFlight--;
      if (this.inFlight === 0 && this.pending.length === 0) this.idle.splice(0).forEach((resolve) => resolve());
    }
  }

  /** @returns {Promise<void>} once every call made so far is settled */
  flush() {
    if (this.pending.length === 0 && this.inFlight === 0) return Promise.resolve();
    const done = new Promise((resolve) => this.idle.push(resolve));
    if (this.timer !== null) this.flushSoon(0);
    return done;
  }
}

function settle(item, result) {
  if (!result) {
    item.reject(new EventBusError('the bus answered no result for this event', { errorCode: 'INTERNAL_ERROR' }));
  } else if (result.status === 'rejected') {
    item.reject(
      new EventBusError(result.message ?? result.errorCode, {
        status: 409,
        errorCode: result.errorCode,
        details: { eventId: result.eventId },
      }),
    );
  } else {
    item.resolve({ eventId: result.eventId, status: result.status, timestamp: result.timestamp, receipt: result.receipt });
  }
}

/** A batch over the service's burst (field "[]") or over the body limit: smaller batches go through. */
function tooLarge(e) {
  return e instanceof EventBusError && (e.status === 413 || (e.status === 400 && e.details?.field === '[]'));
}

function forEvent(e, eventId) {
  const details = { ...e.details, eventId };
  delete details.index;
  if (typeof details.field === 'string') details.field = details.field.replace(/^\[\d+\]\.?/, '');
  return new EventBusError(e.message, { status: e.status, errorCode: e.errorCode, details });
}

function invalid(message) {
  return new EventBusError(message, { errorCode: 'INVALID_ARGUMENT' });
}
