package com.idynic.eventbus.web;

import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;

/**
 * The public API; deployed at the server root so every unknown path still gets the JSON 404. Every
 * resource needs a bearer token (MicroProfile JWT) with one of the roles it names, except
 * {@code POST /v1/auth/token}.
 */
@ApplicationPath("/")
@LoginConfig(authMethod = "MP-JWT", realmName = "eventbus")
@DeclareRoles({"publisher", "subscriber", "operator", "admin", "sensitive"})
public class RestApplication extends Application {}
