package com.idynic.eventbus.console;

import jakarta.faces.FacesException;
import jakarta.faces.application.ViewExpiredException;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.faces.lifecycle.Lifecycle;
import jakarta.faces.lifecycle.LifecycleFactory;
import jakarta.faces.lifecycle.LifecycleWrapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import org.primefaces.csp.CspException;

/**
 * Forms the console cannot take are the client's mistake, answered inside Faces (so the container writes no
 * incident for them): a page whose state is gone (the session's views were evicted or the server restarted) sends the
 * browser to the sign-in page, a form posted without the script nonce of the page it came from (forged) gets 400.
 * Forms without any session never reach Faces ({@link ConsoleHeaders}).
 */
public class StaleForms extends LifecycleFactory {
    static final String FORGED =
            "This form did not come from a page of your current session: reload the page and try again.";

    public StaleForms(LifecycleFactory wrapped) {
        super(wrapped);
    }

    @Override
    public void addLifecycle(String lifecycleId, Lifecycle lifecycle) {
        getWrapped().addLifecycle(lifecycleId, lifecycle);
    }

    @Override
    public Lifecycle getLifecycle(String lifecycleId) {
        return new Guarded(getWrapped().getLifecycle(lifecycleId));
    }

    @Override
    public Iterator<String> getLifecycleIds() {
        return getWrapped().getLifecycleIds();
    }

    /** The lifecycle whose request phases answer stale and forged forms. */
    static final class Guarded extends LifecycleWrapper {
        Guarded(Lifecycle wrapped) {
            super(wrapped);
        }

        @Override
        public void execute(FacesContext context) {
            try {
                super.execute(context);
            } catch (FacesException e) {
                answer(context, e);
            }
        }

        /** PrimeFaces checks the nonce of a postback before rendering its answer. */
        @Override
        public void render(FacesContext context) {
            try {
                super.render(context);
            } catch (FacesException e) {
                if (context.getExternalContext().isResponseCommitted()) {
                    throw e;
                }
                answer(context, e);
            }
        }

        private static void answer(FacesContext context, FacesException e) {
            ExternalContext ext = context.getExternalContext();
            try {
                if (ConsoleHeaders.caused(e, ViewExpiredException.class)) {
                    ext.redirect(ext.getRequestContextPath() + Page.SIGN_IN.viewId());
                } else if (ConsoleHeaders.caused(e, CspException.class)) {
                    ext.responseSendError(400, FORGED);
                } else {
                    throw e;
                }
            } catch (IOException io) {
                throw new UncheckedIOException(io);
            }
            context.responseComplete();
        }
    }
}
