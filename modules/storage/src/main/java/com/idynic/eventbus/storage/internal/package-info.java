/** JPA entities and row mapping; not part of any contract. */
package com.idynic.eventbus.storage.internal;
