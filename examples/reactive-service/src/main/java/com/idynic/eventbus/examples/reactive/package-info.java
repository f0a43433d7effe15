/** An example service on its own MicroProfile server, reaching the bus over HTTP with Reactive Messaging. */
package com.idynic.eventbus.examples.reactive;
