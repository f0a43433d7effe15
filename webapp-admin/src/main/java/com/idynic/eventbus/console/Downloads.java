package com.idynic.eventbus.console;

import com.idynic.eventbus.broker.export.Export;
import org.primefaces.model.DefaultStreamedContent;
import org.primefaces.model.StreamedContent;

/** An export of a service as a PrimeFaces download, streamed while it is read. */
final class Downloads {
    private Downloads() {}

    static StreamedContent of(Export x) {
        return DefaultStreamedContent.builder()
                .name(x.fileName())
                .contentType(x.format().mediaType())
                .writer(x::writeTo)
                .build();
    }
}
