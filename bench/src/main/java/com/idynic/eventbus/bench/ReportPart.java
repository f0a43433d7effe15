package com.idynic.eventbus.bench;

import java.util.Map;

/** What every part of the report shares: the results, the options and the markdown page it writes to. */
abstract class ReportPart {
    final Results r;
    final Options o;
    private final StringBuilder md;

    ReportPart(Results r, Options o, StringBuilder md) {
        this.r = r;
        this.o = o;
        this.md = md;
    }

    /** @return the value under this key as text, "–" when absent */
    String str(String key) {
        Object v = r.get(key);
        return v == null ? "–" : v.toString();
    }

    Map<?, ?> map(String key) {
        return r.get(key) instanceof Map<?, ?> m ? m : null;
    }

    void line(String s) {
        md.append(s).append('\n');
    }
}
