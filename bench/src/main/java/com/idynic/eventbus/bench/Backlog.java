package com.idynic.eventbus.bench;

import java.time.Instant;

/**
 * The events the catch-up scenario published, which the replay scenario replays.
 *
 * @param type their event type
 * @param from a time before the first was accepted (and after anything earlier of that type)
 * @param to a time after the last was accepted
 * @param events how many were accepted
 */
record Backlog(String type, Instant from, Instant to, long events) {}
