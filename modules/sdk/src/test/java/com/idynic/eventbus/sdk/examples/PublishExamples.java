package com.idynic.eventbus.sdk.examples;

import com.idynic.eventbus.sdk.EventBus;
import com.idynic.eventbus.sdk.EventBusException;
import com.idynic.eventbus.sdk.PublishOptions;
import com.idynic.eventbus.sdk.Receipt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The README's publishing examples, compiled and run by ReadmeExamplesTest; the README quotes the marked regions. */
public final class PublishExamples {
    private PublishExamples() {}

    /** @return the receipt of the one synchronous publish */
    public static Receipt publish(String url, String apiKey) {
        // readme:begin publish
        try (EventBus bus = EventBus.connect(url, apiKey)) {
            Receipt receipt = bus.publish("order.placed", new OrderPlaced("ord-2001", "cus-7", 4200, "EUR"));
            System.out.println(receipt.eventId() + " stored as " + receipt.receipt());
            return receipt;
        }
        // readme:end
    }

    /** @return the receipts of the async publishes, in call order */
    public static List<Receipt> publishAsync(EventBus bus) {
        // readme:begin publish-async
        List<CompletableFuture<Receipt>> sent = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            sent.add(bus.publishAsync(
                    "order.placed",
                    new OrderPlaced("ord-300" + i, "cus-7", 100 * i, "EUR"),
                    PublishOptions.none()
                            .id("ord-300" + i) // the idempotency key: retries resend it, the bus stores it once
                            .orderingKey("cus-7")
                            .correlationId("checkout-42")));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join(); // each completes when stored
        // readme:end
        return sent.stream().map(CompletableFuture::join).toList();
    }

    /** @return the error code the bus refused the second event with */
    public static String refused(EventBus bus) {
        bus.publish(
                "order.placed",
                new OrderPlaced("ord-4001", "cus-7", 1, "EUR"),
                PublishOptions.none().id("ord-4001"));
        String refusedWith = null;
        // readme:begin refused
        try {
            bus.publish(
                    "order.placed",
                    new OrderPlaced("ord-4001", "cus-8", 2, "EUR"),
                    PublishOptions.none().id("ord-4001"));
        } catch (EventBusException e) {
            System.out.println(e.status() + " " + e.errorCode()); // 409 DUPLICATE_EVENT_ID: the id is another event's
            refusedWith = e.errorCode();
        }
        // readme:end
        return refusedWith;
    }

    /** @return a connection with the README's tuned settings */
    public static EventBus tuned(String url, String apiKey) {
        // readme:begin builder
        EventBus bus = EventBus.builder(url, apiKey)
                .linger(Duration.ofMillis(5)) // wait up to 5 ms for more calls to share a request
                .maxBatchSize(200) // at most 200 events per request (within the service's burst)
                .maxInFlight(4) // requests in flight at once
                .deliveryTimeout(Duration.ofSeconds(30)) // keep retrying 429/503/network errors this long
                .source("order-service") // default source; the key's service when not set
                .connect();
        // readme:end
        return bus;
    }
}
