/** The operator console's web layer: a static page over the public API, served with hardening headers. */
package com.idynic.eventbus.console;
