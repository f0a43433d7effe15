package com.idynic.eventbus.web;

/**
 * The management interface of {@link InProcessPulls}: JDK types only, so that a co-deployed app (another class
 * space) calls it through the JVM's MBean server without sharing a class with the bus.
 */
public interface InProcessPullsMBean {
    /**
     * One pull API call, as {@code POST /v1/subscriptions/{subscription}/{operation}} with a bearer token of the key's
     * service would answer it.
     *
     * @param apiKey the calling service's API key
     * @param operation {@code pull}, {@code ack} or {@code nack}
     * @param subscription the subscription's id
     * @param body the request body (the same JSON as over HTTP)
     * @return {@code {"status":200,"body":{...}}}: the HTTP status the REST API would answer and its body (the
     *     seed's error format for a refusal)
     */
    String call(String apiKey, String operation, String subscription, String body);
}
