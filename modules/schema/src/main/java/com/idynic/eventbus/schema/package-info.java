/**
 * The schema registry: versioned JSON Schemas (draft 2020-12 and draft-07, with {@code format}) per
 * event type, compatibility modes checked on registration, and validation of event data on publish.
 *
 * @since 0.2.0
 */
package com.idynic.eventbus.schema;
