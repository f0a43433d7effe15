/**
 * The bus's public contract: plain records and interfaces shared by the server, the client library and
 * co-deployed applications. Nothing here depends on CDI, JPA or a container.
 *
 * @since 0.1.0
 */
package com.idynic.eventbus.api;
