package com.idynic.eventbus.sdk.examples;

/** The README's order event as a Java record: {@code data} of {@code order.placed}. */
public record OrderPlaced(String orderId, String customerId, long totalAmount, String currency) {}
