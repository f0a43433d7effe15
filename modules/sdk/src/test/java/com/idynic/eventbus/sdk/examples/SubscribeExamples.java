package com.idynic.eventbus.sdk.examples;

import com.idynic.eventbus.sdk.EventBus;
import com.idynic.eventbus.sdk.RejectException;
import com.idynic.eventbus.sdk.SubscribeOptions;
import com.idynic.eventbus.sdk.Subscriber;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** The README's subscribing example, compiled and run by ReadmeExamplesTest. */
public final class SubscribeExamples {
    private SubscribeExamples() {}

    /** Books every order of the pull subscription {@code reports} until {@code running} returns. */
    public static void subscribe(EventBus bus, Consumer<OrderPlaced> ledger, Runnable running)
            throws InterruptedException {
        // readme:begin subscribe
        Subscriber reports = bus.subscribe(
                "reports",
                event -> {
                    OrderPlaced order = event.data(OrderPlaced.class);
                    if (order.totalAmount() < 0) {
                        throw new RejectException("negative amount"); // straight to the dead-letter queue
                    }
                    ledger.accept(order); // returning acks; any other exception nacks (retried by the policy)
                },
                SubscribeOptions.defaults().maxEvents(50).wait(Duration.ofSeconds(5)));
        running.run();
        reports.close(); // stops pulling; what was pulled is handled and acked first
        // readme:end
    }

    /** @return the types this example reads */
    public static List<String> types() {
        return List.of("order.placed");
    }
}
