package com.idynic.eventbus.console;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.security.Credentials;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Signs in with an API key, checked by the same service method as {@code POST /v1/auth/token}; the key
 * is neither kept nor echoed. Only a service with the operator or admin role gets a session, under a new
 * session id.
 */
@Named
@RequestScoped
public class SignInView {
    @Inject
    BusServices bus;

    @Inject
    SignedIn signedIn;

    private String apiKey;

    /** @return the key typed (never rendered back: the field is a password field without redisplay) */
    public String getApiKey() {
        return apiKey;
    }

    /** @param apiKey the key typed */
    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    /** @return the overview when the key is an operator's or an admin's, else this page with the reason */
    public String signIn() {
        FacesContext ctx = FacesContext.getCurrentInstance();
        Credentials.Verified v;
        try {
            v = bus.consoleSessions().signIn(apiKey == null ? "" : apiKey.trim());
        } catch (BusException e) {
            refuse(
                    ctx,
                    ErrorCode.FORBIDDEN.equals(e.errorCode())
                            ? e.getMessage()
                            : "This API key is not valid (unknown, revoked or expired).");
            return null;
        }
        ExternalContext ext = ctx.getExternalContext();
        ((HttpServletRequest) ext.getRequest()).getSession(true);
        ((HttpServletRequest) ext.getRequest()).changeSessionId();
        signedIn.remember(v.service().name(), v.keyId());
        return Page.OVERVIEW.viewId() + "?faces-redirect=true";
    }

    /** Ends the session. */
    public String signOut() {
        if (signedIn.present()) {
            bus.consoleSessions().signOut(signedIn.service());
        }
        FacesContext.getCurrentInstance().getExternalContext().invalidateSession();
        return Page.SIGN_IN.viewId() + "?faces-redirect=true";
    }

    private static void refuse(FacesContext ctx, String message) {
        ctx.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, message, null));
    }
}
