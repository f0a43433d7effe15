package com.idynic.eventbus.sdk;

/**
 * A webhook delivery whose signature or timestamp does not check out: answer it {@code 401} and do not act on it.
 *
 * @since 0.3.0
 */
public class WebhookVerificationException extends RuntimeException {
    /** @param message what did not match */
    public WebhookVerificationException(String message) {
        super(message);
    }
}
