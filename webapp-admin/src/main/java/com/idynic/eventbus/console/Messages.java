package com.idynic.eventbus.console;

import com.idynic.eventbus.api.BusException;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import java.util.function.Supplier;

/** Shows a service's answer on the page: its success, or the refusal the REST API would give as JSON. */
final class Messages {
    private Messages() {}

    static void info(String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, text, null));
    }

    static void error(String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, text, null));
    }

    /** @return the call's result, or null after showing the refusal (a client's mistake, never a stack trace) */
    static <T> T attempt(Supplier<T> call) {
        try {
            return call.get();
        } catch (BusException e) {
            error(e.getMessage());
            return null;
        }
    }
}
