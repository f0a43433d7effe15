package com.idynic.eventbus.security;

import com.idynic.eventbus.api.Auditor;
import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import java.util.Map;

/**
 * Signing in to the operators' console and out of it: a key verified as {@code POST /v1/auth/token} verifies it,
 * accepted only for a service with the operator (or admin) role; each sign-in, refusal of a known service and
 * sign-out is audited.
 *
 * @since 0.20.0
 */
public final class ConsoleSessions {
    private final Credentials credentials;
    private final Auditor audit;

    public ConsoleSessions(Credentials credentials, Auditor audit) {
        this.credentials = credentials;
        this.audit = audit;
    }

    /** @return whether a service with these roles may use the console: operators and admins */
    public static boolean mayUseConsole(ServiceAccount a) {
        return a.has(Role.OPERATOR);
    }

    /**
     * Verifies a key for a console session.
     *
     * @throws BusException {@code UNAUTHORIZED} for a key that is not valid; {@code FORBIDDEN} for a service
     *     without the operator role (audited as {@code console-sign-in-refused})
     */
    public Credentials.Verified signIn(String key) {
        Credentials.Verified v = credentials.verify(key);
        if (!mayUseConsole(v.service())) {
            audit.audit(v.service().name(), "console-sign-in-refused", null, "key " + v.keyId() + ": no operator role");
            throw new BusException(
                    ErrorCode.FORBIDDEN,
                    "Service '" + v.service().name() + "' has no operator or admin role: the console is for"
                            + " operators. Sign in with an operator's or an admin's key.",
                    Map.of("service", v.service().name()));
        }
        audit.audit(v.service().name(), "console-sign-in", null, "key " + v.keyId());
        return v;
    }

    /** Records that a service signed out of the console. */
    public void signOut(String service) {
        audit.audit(service, "console-sign-out", null, null);
    }
}
