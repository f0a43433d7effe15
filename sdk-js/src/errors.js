/**
 * A failure the bus answered in its error JSON (`errorCode` is one of the bus's codes, e.g. `SCHEMA_VALIDATION_ERROR`),
 * or one the SDK saw itself (`CONNECTION_FAILED`, `TIMEOUT`, `INVALID_ARGUMENT`).
 */
export class EventBusError extends Error {
  /**
   * @param {string} message
   * @param {{status?: number, errorCode?: string, details?: object, retryAfterMs?: number, cause?: unknown}} [info]
   */
  constructor(message, info = {}) {
    super(message, info.cause === undefined ? undefined : { cause: info.cause });
    this.name = 'EventBusError';
    this.status = info.status ?? 0;
    this.errorCode = info.errorCode ?? 'UNKNOWN';
    this.details = info.details ?? {};
    if (info.retryAfterMs !== undefined) this.retryAfterMs = info.retryAfterMs;
  }
}

/** A webhook request whose signature, timestamp or body does not verify. */
export class WebhookVerificationError extends Error {
  constructor(message) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}

/** @returns {EventBusError} from a non-2xx answer of the bus */
export async function errorFrom(response) {
  const text = await response.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not the bus's error JSON (a proxy's page, an empty body)
  }
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  const info = { status: response.status, retryAfterMs };
  if (body && typeof body === 'object' && typeof body.errorCode === 'string') {
    return new EventBusError(body.message || body.errorCode, { ...info, errorCode: body.errorCode, details: body.details });
  }
  return new EventBusError(`HTTP ${response.status}: ${text.slice(0, 200)}`, { ...info, errorCode: `HTTP_${response.status}` });
}

/** @returns {number|undefined} milliseconds from a Retry-After header (seconds or an HTTP date) */
export function parseRetryAfter(value, now = Date.now()) {
  if (value == null || value === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
