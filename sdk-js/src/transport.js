import { EventBusError, errorFrom } from './errors.js';

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/**
 * HTTP to the bus: the token exchange and its refresh, JSON requests, and retries with backoff on network
 * errors, 429 and 503 (honouring Retry-After). Every request the SDK retries is safe to repeat: batch publishes
 * carry their event ids, single publishes their Idempotency-Key, acks and nacks settle by id.
 */
export class Transport {
  /**
   * @param {string} url the bus, e.g. http://127.0.0.1:9080
   * @param {string} apiKey ebk_...
   * @param {object} [options] see ConnectOptions in index.d.ts
   */
  constructor(url, apiKey, options = {}) {
    if (typeof url !== 'string' || !/^https?:\/\//.test(url)) {
      throw new EventBusError(`url must be an http(s) URL (got ${JSON.stringify(url)})`, { errorCode: 'INVALID_ARGUMENT' });
    }
    if (typeof apiKey !== 'string' || apiKey === '') {
      throw new EventBusError('apiKey is required (ebk_...)', { errorCode: 'INVALID_ARGUMENT' });
    }
    this.url = url.replace(/\/+$/, '');
    this.apiKey = apiKey;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = options.random ?? Math.random;
    this.maxRetries = options.maxRetries ?? 8;
    this.initialBackoffMs = options.initialBackoffMs ?? 100;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.onRetry = options.onRetry ?? (() => {});
    this.requests = 0;
    this.token = null;
    this.pendingToken = null;
  }

  /** @returns {Promise<{accessToken: string, service: string}>} a valid token, exchanged or refreshed when due */
  async currentToken(force = false) {
    if (!force && this.token && this.now() < this.token.refreshAt) return this.token;
    if (!this.pendingToken) {
      this.pendingToken = this.exchange().finally(() => {
        this.pendingToken = null;
      });
    }
    return this.pendingToken;
  }

  async exchange() {
    const answer = await this.send('POST', '/v1/auth/token', JSON.stringify({ apiKey: this.apiKey }), {}, false);
    const lifetimeMs = (answer.expiresIn ?? 900) * 1000;
    this.token = {
      accessToken: answer.accessToken,
      service: claim(answer.accessToken, 'upn'),
      // refresh when four fifths of the lifetime have passed: a token is never used in its last minutes
      refreshAt: this.now() + lifetimeMs * 0.8,
    };
    return this.token;
  }

  /**
   * A JSON request with the bearer token; retried on network errors, 429, 502, 503, 504; a 401 gets one
   * fresh token. @returns {Promise<any>} the parsed answer (null when empty)
   */
  request(method, path, body, options = {}) {
    return this.send(method, path, body, options, true);
  }

  async send(method, path, body, options, authenticated) {
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      let failure;
      try {
        const headers = { ...(options.headers ?? {}) };
        if (body !== undefined) headers['content-type'] = 'application/json';
        if (authenticated) headers.authorization = `Bearer ${(await this.currentToken()).accessToken}`;
        this.requests++;
        const response = await this.fetch(this.url + path, {
          method,
          headers,
          body,
          signal: AbortSignal.timeout(options.timeoutMs ?? this.requestTimeoutMs),
        });
        if (response.ok) {
          const text = await response.text();
          return text === '' ? null : JSON.parse(text);
        }
        failure = await errorFrom(response);
        if (response.status === 401 && authenticated && !refreshed) {
          refreshed = true;
          await this.currentToken(true);
          attempt--;
          continue;
        }
        if (!RETRYABLE_STATUS.has(response.status)) throw failure;
      } catch (e) {
        if (e instanceof EventBusError) throw e;
        failure = new EventBusError(`${method} ${path} failed: ${e.cause?.message ?? e.message}`, {
          errorCode: e.name === 'TimeoutError' ? 'TIMEOUT' : 'CONNECTION_FAILED',
          cause: e,
        });
      }
      if (attempt >= this.maxRetries || options.retry === false) throw failure;
      const delay = failure.retryAfterMs ?? this.backoff(attempt);
      this.onRetry(failure, attempt + 1, delay);
      await this.sleep(delay);
    }
  }

  /** @returns {number} exponential backoff with full jitter over its upper half */
  backoff(attempt) {
    const cap = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** attempt);
    return Math.round(cap / 2 + (this.random() * cap) / 2);
  }
}

function claim(jwt, name) {
  try {
    return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'))[name];
  } catch {
    return undefined;
  }
}
