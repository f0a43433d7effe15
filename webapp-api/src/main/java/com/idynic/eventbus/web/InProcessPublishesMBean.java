package com.idynic.eventbus.web;

/**
 * The management interface of {@link InProcessPublishes}: JDK types only, so that a co-deployed app (another class
 * space) calls it through the JVM's MBean server.
 */
public interface InProcessPublishesMBean {
    /**
     * Reports the events of one committed transaction of a co-deployed app.
     *
     * @param events {@code [{"id":"evt-1","eventType":"order.placed","source":"profile-service",
     *     "traceparent":"00-…","publishedAt":1765100000000}]} ({@code publishedAt} in epoch milliseconds)
     */
    void committed(String events);
}
