/**
 * The event types known to your code: empty here; `npx eventbus-types --out eventbus-types.d.ts` merges one entry
 * per registered type (`'user.created': UserCreated`), which types `publish` data and `subscribe` handlers.
 */
export interface EventTypes {}

/** `data` of an event type: its generated interface when known, any JSON object otherwise. */
export type EventData<T extends string> = T extends keyof EventTypes ? EventTypes[T] : Record<string, unknown>;

export interface ConnectOptions {
  /** Default `source` of published events; default: the service the API key belongs to. */
  source?: string;
  /** How long a publish call waits for others to join its batch, in ms; default 2. */
  lingerMs?: number;
  /** Most events per batch request; default 500 (the bus takes up to 1,000). */
  maxBatchEvents?: number;
  /** Most bytes per batch request; default 4 MiB (the bus takes up to 16 MiB). */
  maxBatchBytes?: number;
  /** Batch requests in flight at once; default 1, which keeps the order of one key's events across calls. */
  maxInFlight?: number;
  /** Retries of a request after a network error, 429, 502, 503 or 504; default 8. */
  maxRetries?: number;
  /** First backoff in ms (doubling, with jitter, up to maxBackoffMs); Retry-After wins when sent. Default 100. */
  initialBackoffMs?: number;
  /** Longest backoff in ms; default 10,000. */
  maxBackoffMs?: number;
  /** Timeout of one request in ms (a pull adds its waitMillis); default 30,000. */
  requestTimeoutMs?: number;
  /** Called before each retry. */
  onRetry?: (error: EventBusError, attempt: number, delayMs: number) => void;
  /** A fetch implementation; default the global one. */
  fetch?: typeof fetch;
}

export interface PublishOptions {
  /** The event id; default a random UUID. Retries always reuse it, so a request that landed is not stored twice. */
  id?: string;
  /** Default: ConnectOptions.source, else the service's name. */
  source?: string;
  /** ISO-8601 with offset, or a Date; default the time the bus accepts the event. */
  timestamp?: string | Date;
  /** metadata.partitionKey: events of one key are delivered in publish order. */
  partitionKey?: string;
  /** metadata.correlationId */
  correlationId?: string;
  /** Other metadata keys (kept as extensions). */
  metadata?: Record<string, unknown>;
  /** Sends this event alone to POST /v1/events with this Idempotency-Key (batches do not take one); retries reuse it. */
  idempotencyKey?: string;
}

export interface Receipt {
  eventId: string;
  /** `duplicate`: the same event was stored before (e.g. by a retried request that had landed); its first receipt. */
  status: 'accepted' | 'duplicate';
  /** When the bus accepted the event, ISO-8601 UTC. */
  timestamp: string;
  receipt: string;
}

export interface Event<T extends string = string> {
  id: string;
  eventType: T;
  source: string;
  timestamp: string;
  data: EventData<T>;
  metadata?: { correlationId?: string; partitionKey?: string; traceparent?: string; [key: string]: unknown };
}

export interface Delivery {
  /** 1 for the first delivery of the event to this subscription. */
  attempt: number;
  replay: boolean;
  traceparent?: string;
}

export interface SubscribeOptions {
  /** Events per pull; default 50 (at most 500). */
  maxEvents?: number;
  /** How long a pull waits for events, in ms; default 5,000 (at most 30,000). close() waits for the pull in flight. */
  waitMillis?: number;
  /** Unsettled events come again after this, in ms; default 30,000. */
  ackDeadlineMillis?: number;
  /** How long acks gather before one ack request, in ms; default 20. */
  ackLingerMs?: number;
  /** Transient failures (pull, ack, nack), reported while the subscription goes on; default: console.error. */
  onError?: (error: Error) => void;
}

export declare class Subscription {
  readonly id: string;
  /** Settles when the subscription stops: resolves after close(), rejects on a lasting failure (401, 403, 404). */
  readonly done: Promise<void>;
  readonly stats: { pulls: number; ackRequests: number; nackRequests: number };
  /** Stops pulling after the pull in flight, waits for running handlers, sends the last acks. */
  close(): Promise<void>;
}

export declare class EventBus {
  /** Exchanges the API key for a token (POST /v1/auth/token), refreshed before it expires. */
  static connect(url: string, apiKey: string, options?: ConnectOptions): Promise<EventBus>;
  /** The service the API key belongs to. */
  readonly service: string | undefined;
  /**
   * Publishes one event. Calls within `lingerMs` go to the bus as one batch; the promise settles with this event's
   * own result: it rejects with an EventBusError (errorCode as the bus's) when only this event is refused.
   */
  publish<T extends string>(type: T, data: EventData<T>, options?: PublishOptions): Promise<Receipt>;
  /** Settles once every publish call made so far is settled. */
  flush(): Promise<void>;
  /**
   * Consumes a pull subscription: the handler's success acks the event (acks are sent in batches), a throw nacks it
   * (retried by the subscription's policy).
   */
  subscribe<T extends string = string>(
    subscriptionId: string,
    handler: (event: Event<T>, delivery: Delivery) => unknown | Promise<unknown>,
    options?: SubscribeOptions,
  ): Subscription;
  /** Settles pending publishes and closes every subscription. */
  close(): Promise<void>;
}

export declare class EventBusError extends Error {
  /** HTTP status, or 0 when the bus was not reached. */
  readonly status: number;
  /** The bus's error code (VALIDATION_ERROR, SCHEMA_VALIDATION_ERROR, FORBIDDEN, DUPLICATE_EVENT_ID, RATE_LIMITED, ...), or the SDK's own: CONNECTION_FAILED, TIMEOUT, INVALID_ARGUMENT. */
  readonly errorCode: string;
  /** The bus's `details` (for a refused event of a batch: `field` as for a single publish, and `eventId`). */
  readonly details: Record<string, unknown>;
  readonly retryAfterMs?: number;
}

export declare class WebhookVerificationError extends Error {}

/**
 * Verifies a webhook delivery's Standard Webhooks signature over the raw body and returns the event.
 * @throws WebhookVerificationError when it does not verify; TypeError when rawBody is not a Buffer/Uint8Array/string
 */
export declare function verifyWebhook(
  rawBody: Uint8Array | string,
  headers: Record<string, string | string[] | undefined> | Headers | Map<string, string>,
  secret: string,
  options?: { toleranceSeconds?: number; now?: () => number },
): Event;

/** The declarations file for these schemas (what `eventbus-types` writes). */
export declare function generateTypes(
  schemas: Array<{ eventType: string; version: number; schema: object }>,
  options?: { moduleName?: string },
): string;
