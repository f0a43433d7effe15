package com.idynic.eventbus.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open Liberty's HTTP channel knows no reason phrase for 429 (nor 308, 428, 431, 511) and writes the status
 * line {@code 429 Undefined}; JAX-RS hands the container only the number, so this filter names the phrase
 * through the container's {@code setStatus(int, String)}, which Liberty still implements although Servlet
 * 6 dropped it from the API. Without that method the status is set as usual.
 */
@WebFilter(
        urlPatterns = "/*",
        asyncSupported = true,
        dispatcherTypes = {DispatcherType.REQUEST, DispatcherType.ERROR})
public class ReasonPhrases implements Filter {
    static final Set<Integer> UNKNOWN_TO_THE_CHANNEL = Set.of(308, 428, 429, 431, 511);

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(request, response instanceof HttpServletResponse http ? new Phrased(http) : response);
    }

    /** @return the standard phrase for a status the channel lacks, e.g. {@code Too Many Requests}; else null */
    static String phrase(int status) {
        if (!UNKNOWN_TO_THE_CHANNEL.contains(status)) {
            return null;
        }
        Response.Status s = Response.Status.fromStatusCode(status);
        return s == null ? null : s.getReasonPhrase();
    }

    /** Sets the phrase with the status whenever the status is one the channel lacks. */
    static final class Phrased extends HttpServletResponseWrapper {
        /** Per response class, its {@code setStatus(int, String)} or none; a handful of classes at most. */
        private static final Map<Class<?>, Optional<Method>> WITH_PHRASE = new ConcurrentHashMap<>();

        Phrased(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setStatus(int status) {
            String phrase = phrase(status);
            if (phrase == null || !setWithPhrase(status, phrase)) {
                super.setStatus(status);
            }
        }

        /** Calls the first response down the wrapper chain that still takes a phrase (the container's). */
        private boolean setWithPhrase(int status, String phrase) {
            ServletResponse r = getResponse();
            while (true) {
                Optional<Method> m = WITH_PHRASE.computeIfAbsent(r.getClass(), Phrased::withPhrase);
                if (m.isPresent()) {
                    try {
                        m.get().invoke(r, status, phrase);
                        return true;
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        return false;
                    }
                }
                if (!(r instanceof ServletResponseWrapper w)) {
                    return false;
                }
                r = w.getResponse();
            }
        }

        private static Optional<Method> withPhrase(Class<?> type) {
            try {
                return Optional.of(type.getMethod("setStatus", int.class, String.class));
            } catch (NoSuchMethodException e) {
                return Optional.empty();
            }
        }
    }
}
