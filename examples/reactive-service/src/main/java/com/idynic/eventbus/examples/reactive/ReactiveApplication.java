package com.idynic.eventbus.examples.reactive;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The example's demo endpoints under {@code /reactive-service/api}; its server listens on loopback only. */
@ApplicationPath("/api")
public class ReactiveApplication extends Application {}
