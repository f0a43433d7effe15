package com.idynic.eventbus.devstack;

/** One embedded dependency that can be stopped and started again on the same port and data. */
interface Service {
    String name();

    void start() throws Exception;

    void stop() throws Exception;

    /** Ends the service without letting it shut down cleanly (the fault suite's {@code kill -9}); a stop by default. */
    default void kill() throws Exception {
        stop();
    }

    boolean running();
}
