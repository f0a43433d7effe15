package com.idynic.eventbus.console;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.faces.component.UIViewRoot;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.faces.event.PhaseEvent;
import jakarta.faces.event.PhaseId;
import jakarta.faces.event.PhaseListener;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Decides access once Faces has resolved the view, for a first request and for every postback and Ajax
 * request alike: the view's {@link Page} says who may open it. Anyone not signed in goes to the sign-in
 * page; a session whose key was revoked or whose service lost its operator role is ended; an operator on
 * an admin page gets the refusal page with status 403; a view the console does not list is not found.
 */
public class ConsoleAccess implements PhaseListener {
    private static final long serialVersionUID = 1L;

    @Override
    public PhaseId getPhaseId() {
        return PhaseId.RESTORE_VIEW;
    }

    @Override
    public void beforePhase(PhaseEvent event) {
        // decided after the view is known
    }

    @Override
    public void afterPhase(PhaseEvent event) {
        FacesContext ctx = event.getFacesContext();
        UIViewRoot root = ctx.getViewRoot();
        if (root == null || ctx.getResponseComplete()) {
            return;
        }
        ExternalContext ext = ctx.getExternalContext();
        try {
            Page page = Page.of(root.getViewId()).orElse(null);
            if (page == null) {
                ext.responseSendError(404, "Not found");
                ctx.responseComplete();
                return;
            }
            if (page.access() == Page.Access.ANYONE) {
                return;
            }
            Operator operator = CDI.current().select(Operator.class).get();
            if (operator.current().isEmpty()) {
                if (CDI.current().select(SignedIn.class).get().present()) {
                    ext.invalidateSession();
                }
                ext.redirect(ext.getRequestContextPath() + Page.SIGN_IN.viewId());
                ctx.responseComplete();
                return;
            }
            if (page.access() == Page.Access.ADMIN && !operator.isAdmin()) {
                ext.setResponseStatus(403);
                ctx.setViewRoot(ctx.getApplication().getViewHandler().createView(ctx, Page.FORBIDDEN.viewId()));
                ctx.renderResponse();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
