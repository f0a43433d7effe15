package com.idynic.eventbus.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The public API; deployed at the server root so every unknown path still gets the JSON 404. */
@ApplicationPath("/")
public class RestApplication extends Application {}
