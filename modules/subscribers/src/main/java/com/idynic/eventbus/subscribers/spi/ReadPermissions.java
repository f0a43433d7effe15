package com.idynic.eventbus.subscribers.spi;

/**
 * What a subscription's owner may read now: asked at dispatch and at every delivery, so that a
 * permission withdrawn from a service stops its existing subscriptions too.
 *
 * @since 0.4.0
 */
public interface ReadPermissions {
    /** Everyone may read everything (unit tests, and buses without service permissions). */
    ReadPermissions ALL = new ReadPermissions() {
        @Override
        public boolean mayRead(String owner, String eventType) {
            return true;
        }

        @Override
        public boolean mayReadSome(String owner, String selector) {
            return true;
        }
    };

    /** @return whether the owning service may receive events of this type */
    boolean mayRead(String owner, String eventType);

    /** @return whether the owning service may receive at least one type the selector selects */
    boolean mayReadSome(String owner, String selector);
}
