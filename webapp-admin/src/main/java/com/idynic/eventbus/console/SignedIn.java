package com.idynic.eventbus.console;

import jakarta.enterprise.context.SessionScoped;
import java.io.Serializable;

/**
 * Who signed in on this HTTP session: a service name and the id of the key it signed in with. Never the
 * key or a token: each request looks the service and the key up again ({@link Operator}), so a revoked key
 * or a withdrawn role ends the session at once.
 */
@SessionScoped
public class SignedIn implements Serializable {
    private static final long serialVersionUID = 1L;

    private String service;
    private String keyId;

    /** Remembers the service and its key id (after the session id has been changed). */
    void remember(String service, String keyId) {
        this.service = service;
        this.keyId = keyId;
    }

    /** @return the signed-in service's name, or null */
    public String service() {
        return service;
    }

    /** @return the id of the key it signed in with, or null */
    String keyId() {
        return keyId;
    }

    /** @return whether a service signed in on this session */
    public boolean present() {
        return service != null;
    }
}
