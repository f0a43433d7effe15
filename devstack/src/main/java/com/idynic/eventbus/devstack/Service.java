package com.idynic.eventbus.devstack;

/** One embedded dependency that can be stopped and started again on the same port and data. */
interface Service {
    String name();

    void start() throws Exception;

    void stop() throws Exception;

    boolean running();
}
