package com.idynic.eventbus.examples.profile;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** REST endpoints of the example under {@code /profile-service/api}. */
@ApplicationPath("/api")
public class ProfileApplication extends Application {}
