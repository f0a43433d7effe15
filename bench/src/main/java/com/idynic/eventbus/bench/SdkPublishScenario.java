package com.idynic.eventbus.bench;

import com.idynic.eventbus.sdk.EventBus;
import com.idynic.eventbus.sdk.EventBusException;
import com.idynic.eventbus.sdk.PublishOptions;
import com.idynic.eventbus.sdk.PublishStats;

/**
 * 32 concurrent publishers through the Java SDK ({@code modules/sdk}): each client thread calls the blocking
 * {@code publish} of one shared {@link EventBus} with the SDK's defaults (linger 2 ms, 100 events per request, 4
 * requests in flight), as 32 request threads of an outside service would. The SDK turns the concurrent calls into
 * batch requests; each call returns when its own event is stored. Compared with RabbitMQ's durable confirm rate at
 * 32 publishers of the same run.
 */
final class SdkPublishScenario {
    static final int CLIENTS = 32;

    private final Bench b;

    SdkPublishScenario(Bench b) {
        this.b = b;
    }

    void run() throws Exception {
        try (EventBus sdk = EventBus.builder(b.bus.base().toString(), b.bus.apiKey())
                .source("bench")
                .connect()) {
            sdk.publish(PublishScenarios.TYPE, Payloads.userData(0)); // the token and the first connection
            b.settleOrNote("sdk publish c" + CLIENTS);
            PublishStats before = sdk.stats();
            LoadResult r = b.loop.run(
                    CLIENTS,
                    i -> () -> {
                        String id = b.payloads.nextId("sdk");
                        long n = Bench.idNumber(id);
                        try {
                            sdk.publish(
                                    PublishScenarios.TYPE,
                                    Payloads.userData(n),
                                    PublishOptions.none()
                                            .id(id)
                                            .orderingKey(Payloads.key(n))
                                            .correlationId(id));
                            return 202;
                        } catch (EventBusException e) {
                            return e.status();
                        }
                    },
                    202,
                    1,
                    b.plan);
            PublishStats after = sdk.stats();
            b.results.put("bus.sdk.c" + CLIENTS, r);
            long requests = after.requests() - before.requests();
            b.results.put(
                    "bus.sdk.eventsPerRequest",
                    requests == 0 ? 0.0 : (after.events() - before.events()) / (double) requests);
            b.results.put("bus.sdk.retries", after.retries() - before.retries());
        }
    }
}
