package com.idynic.eventbus.examples.profile;

import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;

/**
 * REST endpoints of the example under {@code /profile-service/api}, for callers with a bus token: the
 * server's MicroProfile JWT settings (public key, issuer, audience) hold for every application on it, so a
 * token from the bus's {@code POST /v1/auth/token} is verified here exactly as by the bus.
 */
@ApplicationPath("/api")
@LoginConfig(authMethod = "MP-JWT", realmName = "eventbus")
@DeclareRoles({"publisher", "subscriber", "operator", "admin"})
public class ProfileApplication extends Application {}
