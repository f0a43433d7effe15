package com.idynic.eventbus.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

class ReasonPhrasesTest {
    /** Stands in for Liberty's response, which still takes a reason phrase. */
    public static final class Container extends HttpServletResponseWrapper {
        int status;
        String phrase;

        Container() {
            super((HttpServletResponse) Proxy.newProxyInstance(
                    ReasonPhrasesTest.class.getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class},
                    (proxy, method, args) -> null));
        }

        public void setStatus(int status, String phrase) {
            this.status = status;
            this.phrase = phrase;
        }

        @Override
        public void setStatus(int status) {
            this.status = status;
            this.phrase = null;
        }
    }

    @Test
    void a429GoesToTheContainerWithItsReasonPhrase() {
        Container container = new Container();
        new ReasonPhrases.Phrased(new HttpServletResponseWrapper(container)).setStatus(429);
        assertEquals(429, container.status);
        assertEquals("Too Many Requests", container.phrase);
    }

    @Test
    void statusesTheChannelKnowsAreSetAsUsual() {
        Container container = new Container();
        new ReasonPhrases.Phrased(container).setStatus(403);
        assertEquals(403, container.status);
        assertNull(container.phrase);
    }
}
