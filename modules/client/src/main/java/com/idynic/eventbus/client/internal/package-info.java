/** The client's machinery: observer discovery, the pull loop and the outbox writer. */
package com.idynic.eventbus.client.internal;
