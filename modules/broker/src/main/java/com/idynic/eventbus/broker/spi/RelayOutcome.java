package com.idynic.eventbus.broker.spi;

import java.util.List;

/**
 * What became of the rows of one relay pass: the rows the sink acknowledged and the rows it refused for
 * good, both removed from the outbox; every other row handed over stays for the next pass.
 *
 * @param relayed rows the sink acknowledged, with where they landed
 * @param refused rows the sink will never take, set aside with the reason
 * @since 0.7.0
 */
public record RelayOutcome(List<Relayed> relayed, List<Refused> refused) {
    /** Nothing acknowledged, nothing refused: the whole batch stays. */
    public static final RelayOutcome NONE = new RelayOutcome(List.of(), List.of());

    public RelayOutcome {
        relayed = List.copyOf(relayed);
        refused = List.copyOf(refused);
    }

    /** @return whether the pass removes no row */
    public boolean isEmpty() {
        return relayed.isEmpty() && refused.isEmpty();
    }
}
