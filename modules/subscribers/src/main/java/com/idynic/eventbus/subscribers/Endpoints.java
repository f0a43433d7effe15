package com.idynic.eventbus.subscribers;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An address range with a port range, as the {@link AddressGuard}'s allow-list and deny-list are written:
 * {@code 10.0.0.0/8} (every port), {@code 127.0.0.1/32:8000-8999}, {@code 127.0.0.0/8:9080}, {@code
 * [::1]/128:8088} or, without brackets, {@code ::1/128:8088}. A port needs a prefix or brackets after an IPv6
 * address ({@code ::1:8088} is an address); a bare IPv4 address takes one directly ({@code 127.0.0.1:8080}).
 *
 * @param addresses the address range
 * @param firstPort the lowest port inside, 1-65535
 * @param lastPort the highest port inside, {@code firstPort}-65535
 * @since 0.5.0
 */
public record Endpoints(Cidr addresses, int firstPort, int lastPort) {
    /** The lowest port a URL may name. */
    public static final int MIN_PORT = 1;
    /** The highest port a URL may name. */
    public static final int MAX_PORT = 65535;

    private static final String FORM = "is not an address range such as 10.0.0.0/8, with optional ports such as"
            + " 127.0.0.1/32:8000-8999 or [::1]/128:8088";
    private static final Pattern PORTS = Pattern.compile("([0-9]{1,5})(?:-([0-9]{1,5}))?");

    public Endpoints {
        Objects.requireNonNull(addresses, "addresses");
        if (firstPort < MIN_PORT || lastPort > MAX_PORT || firstPort > lastPort) {
            throw new IllegalArgumentException(
                    "ports " + firstPort + "-" + lastPort + " are not a range inside " + MIN_PORT + "-" + MAX_PORT);
        }
    }

    /**
     * @param addresses an address range
     * @return every port of that range
     */
    public static Endpoints allPorts(Cidr addresses) {
        return new Endpoints(addresses, MIN_PORT, MAX_PORT);
    }

    /**
     * @param text {@code range} or {@code range:port} or {@code range:first-last}, where {@code range} is written
     *     as for {@link Cidr#of} and an IPv6 address may stand in brackets, e.g. {@code [fd00::]/8:443}
     * @throws IllegalArgumentException naming {@code text} when it is not such an entry
     */
    public static Endpoints of(String text) {
        String range = text;
        String ports = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || text.substring(1, close).indexOf(':') < 0) {
                throw new IllegalArgumentException("'" + text + "' " + FORM);
            }
            String rest = text.substring(close + 1);
            int colon = rest.indexOf(':');
            String bits = colon < 0 ? rest : rest.substring(0, colon);
            if (!bits.isEmpty() && !bits.startsWith("/")) {
                throw new IllegalArgumentException("'" + text + "' " + FORM);
            }
            range = text.substring(1, close) + bits;
            ports = colon < 0 ? null : rest.substring(colon + 1);
        } else {
            int slash = text.indexOf('/');
            int colon = text.lastIndexOf(':');
            boolean portFollows = slash >= 0 ? colon > slash : colon >= 0 && text.indexOf(':') == colon;
            if (portFollows) {
                range = text.substring(0, colon);
                ports = text.substring(colon + 1);
            }
        }
        Cidr addresses;
        try {
            addresses = Cidr.of(range);
        } catch (IllegalArgumentException e) {
            if (range.equals(text)) {
                throw e;
            }
            throw new IllegalArgumentException(e.getMessage() + " (in '" + text + "')", e);
        }
        if (ports == null) {
            return allPorts(addresses);
        }
        Matcher m = PORTS.matcher(ports);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' " + FORM);
        }
        int first = Integer.parseInt(m.group(1));
        int last = m.group(2) == null ? first : Integer.parseInt(m.group(2));
        if (first < MIN_PORT || last > MAX_PORT || first > last) {
            throw new IllegalArgumentException(
                    "'" + text + "' needs ports from " + MIN_PORT + " to " + MAX_PORT + ", the lower first");
        }
        return new Endpoints(addresses, first, last);
    }

    /** @return whether port {@code port} of {@code a} is inside; an IPv4 address is never inside an IPv6 range */
    public boolean contains(InetAddress a, int port) {
        return port >= firstPort && port <= lastPort && addresses.contains(a);
    }

    /** @return the entry as it can be written back, e.g. {@code 127.0.0.1/32:8000-8999} or {@code 10.0.0.0/8} */
    @Override
    public String toString() {
        if (firstPort == MIN_PORT && lastPort == MAX_PORT) {
            return addresses.toString();
        }
        String range = addresses.network() instanceof Inet6Address
                ? "[" + addresses.network().getHostAddress() + "]/" + addresses.prefix()
                : addresses.toString();
        return range + ":" + firstPort + (lastPort == firstPort ? "" : "-" + lastPort);
    }
}
