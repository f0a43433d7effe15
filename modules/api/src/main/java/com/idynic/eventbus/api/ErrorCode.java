package com.idynic.eventbus.api;

/**
 * The {@code errorCode} values of the seed's error JSON. Each constant names one kind of refusal so
 * clients can branch on it without parsing messages.
 *
 * @since 0.1.0
 */
public final class ErrorCode {
    /** Body is not well-formed JSON (HTTP 400). */
    public static final String MALFORMED_JSON = "MALFORMED_JSON";
    /** A field is missing, has the wrong type or an invalid value (HTTP 400). */
    public static final String VALIDATION_ERROR = "VALIDATION_ERROR";
    /** Event data does not match the registered schema (HTTP 400). */
    public static final String SCHEMA_VALIDATION_ERROR = "SCHEMA_VALIDATION_ERROR";
    /** A new schema version breaks the event type's compatibility mode (HTTP 409). */
    public static final String INCOMPATIBLE_SCHEMA = "INCOMPATIBLE_SCHEMA";
    /** Content-Type is not JSON (HTTP 415). */
    public static final String UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE";
    /** Body larger than the configured limit (HTTP 413). */
    public static final String PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE";
    /** No such route or resource (HTTP 404). */
    public static final String NOT_FOUND = "NOT_FOUND";
    /** The route exists but not for this HTTP method (HTTP 405). */
    public static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";
    /** The event id was already used for different content (HTTP 409). */
    public static final String DUPLICATE_EVENT_ID = "DUPLICATE_EVENT_ID";
    /** The {@code Idempotency-Key} was already used for a different event within the window (HTTP 409). */
    public static final String IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED";
    /** No valid credentials: token missing, expired, badly signed, wrong issuer or audience; bad API key (HTTP 401). */
    public static final String UNAUTHORIZED = "UNAUTHORIZED";
    /** Authenticated, but the service lacks the role or permission; details name what was refused (HTTP 403). */
    public static final String FORBIDDEN = "FORBIDDEN";
    /** The service's publish rate limit is used up; retry after {@code Retry-After} seconds (HTTP 429). */
    public static final String RATE_LIMITED = "RATE_LIMITED";
    /** The bus is behind (outbox backlog over its threshold); retry after {@code Retry-After} seconds (HTTP 429). */
    public static final String OVERLOADED = "OVERLOADED";
    /** A quota is reached, e.g. subscriptions per service (HTTP 409). */
    public static final String QUOTA_EXCEEDED = "QUOTA_EXCEEDED";
    /**
     * Only one job of this kind runs at a time and one is running; {@code details.runningId} names it
     * (HTTP 409).
     *
     * @since 0.4.0
     */
    public static final String ALREADY_RUNNING = "ALREADY_RUNNING";
    /** A dependency (PostgreSQL) is unavailable; nothing was stored (HTTP 503). */
    public static final String STORAGE_UNAVAILABLE = "STORAGE_UNAVAILABLE";
    /** The request is acceptable but the bus cannot take it now (HTTP 503). */
    public static final String SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE";
    /** An unexpected server fault; details are in the server log, never in the response (HTTP 500). */
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";

    private ErrorCode() {}
}
