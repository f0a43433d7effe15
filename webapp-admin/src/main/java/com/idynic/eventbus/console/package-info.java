/**
 * The operator console: Jakarta Faces pages (PrimeFaces) whose beans call the same use-case services as
 * the REST API, behind a session opened with an operator's or an admin's API key.
 */
package com.idynic.eventbus.console;
