package com.idynic.eventbus.console;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;

/** The navigation of the layout: the pages the signed-in service may open, and which one is shown. */
@Named
@RequestScoped
public class Navigation {
    @Inject
    Operator operator;

    /** @return the pages in the navigation this service may open */
    public List<Page> getPages() {
        boolean admin = operator.isAdmin();
        return Page.navigation().stream()
                .filter(p -> p.access() != Page.Access.ADMIN || admin)
                .toList();
    }

    /** @return whether the page is the one shown */
    public boolean current(Page p) {
        var root = FacesContext.getCurrentInstance().getViewRoot();
        return root != null && p.viewId().equals(root.getViewId());
    }

    /** @return the page shown, for the title */
    public String getTitle() {
        var root = FacesContext.getCurrentInstance().getViewRoot();
        return root == null ? "" : Page.of(root.getViewId()).map(Page::title).orElse("");
    }
}
