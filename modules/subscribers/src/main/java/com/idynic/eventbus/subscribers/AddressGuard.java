package com.idynic.eventbus.subscribers;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The one gate for every address the server calls on a user's behalf, so that a subscriber cannot make the
 * bus reach loopback, link-local, private or other internal addresses unless the operator allows them.
 *
 * <p>A URL passes when its scheme is {@code http} or {@code https}, it carries no user information, its host
 * is spelled as a DNS name, a dotted-quad IPv4 address or a bracketed IPv6 address, and every address the
 * host stands for is permitted. Other spellings that some resolvers read as addresses ({@code 2130706433},
 * {@code 0x7f000001}, {@code 127.1}, {@code 0177.0.0.1}) are refused outright rather than interpreted, so the
 * check never disagrees with the HTTP client about the address. The port is the URL's, or 80 for {@code http}
 * and 443 for {@code https}. An address and port are permitted when they are inside the allow-list, or the
 * address is outside the refused ranges, and in either case they are not inside the deny-list: the deny-list
 * wins, so an operator who allows loopback for local receivers can still keep the bus's own ports and its
 * dependencies' out of reach. The refused ranges are {@code 0.0.0.0/8}, {@code 10.0.0.0/8}, {@code 100.64.0.0/10},
 * {@code 127.0.0.0/8}, {@code 169.254.0.0/16}, {@code 172.16.0.0/12}, {@code 192.0.0.0/24}, {@code
 * 192.168.0.0/16}, {@code 198.18.0.0/15}, {@code 224.0.0.0/4} (multicast), {@code 240.0.0.0/4} (reserved and
 * broadcast), {@code ::}, {@code ::1}, {@code fe80::/10}, {@code fec0::/10}, {@code fc00::/7} and {@code
 * ff00::/8}. An IPv6 address that embeds an IPv4 address (IPv4-mapped {@code ::ffff:0:0/96}, IPv4-compatible
 * {@code ::/96}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) is judged by that IPv4 address, against
 * both lists.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.4.0
 */
public final class AddressGuard {
    /** Why a loopback, link-local, private or otherwise internal address is refused. */
    public static final String INTERNAL =
            "must not point at a loopback, link-local or private address (allow it with EVENTBUS_WEBHOOK_ALLOW)";
    /** Why a host that has no address is refused. */
    public static final String UNRESOLVED = "host does not resolve";
    /** Why a URL whose port no socket can have is refused. */
    public static final String BAD_PORT = "must name a port from 1 to 65535";

    private static final String SPELLING =
            "must name its host as a DNS name, a dotted-quad IPv4 address or a bracketed IPv6 address";

    private static final List<Cidr> REFUSED = cidrs("0.0.0.0/8,10.0.0.0/8,100.64.0.0/10,127.0.0.0/8,"
            + "169.254.0.0/16,172.16.0.0/12,192.0.0.0/24,192.168.0.0/16,198.18.0.0/15,224.0.0.0/4,240.0.0.0/4,"
            + "::/128,::1/128,fe80::/10,fec0::/10,fc00::/7,ff00::/8");
    private static final Cidr COMPATIBLE = Cidr.of("::/96");
    private static final Cidr NAT64 = Cidr.of("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.of("2002::/16");

    /** Looks a host name up, as the HTTP client will; in the server {@code InetAddress::getAllByName}. */
    @FunctionalInterface
    public interface Resolver {
        /**
         * @param host a DNS name (never an address literal)
         * @return every address the name stands for
         * @throws UnknownHostException when it has none
         */
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /**
     * A URL the guard refuses. The message says why, worded to follow the field's name, e.g. {@value
     * #UNRESOLVED}.
     */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String why) {
            super(why, null, false, false);
        }
    }

    private final List<Endpoints> allow;
    private final List<Endpoints> deny;
    private final Resolver resolver;

    /**
     * A guard with no deny-list.
     *
     * @param allow addresses and ports permitted even though they are internal, e.g. {@code 10.0.0.0/8}; empty
     *     for none
     * @param resolver looks up DNS names
     */
    public AddressGuard(List<Endpoints> allow, Resolver resolver) {
        this(allow, List.of(), resolver);
    }

    /**
     * @param allow addresses and ports permitted even though they are internal, e.g. {@code 10.0.0.0/8} or
     *     {@code 127.0.0.1/32:8000-8999}; empty for none
     * @param deny addresses and ports refused whatever the allow-list says, e.g. {@code 127.0.0.0/8:9080}; empty
     *     for none
     * @param resolver looks up DNS names
     * @since 0.5.0
     */
    public AddressGuard(List<Endpoints> allow, List<Endpoints> deny, Resolver resolver) {
        this.allow = List.copyOf(allow);
        this.deny = List.copyOf(deny);
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /**
     * Reads an allow-list or a deny-list as configured.
     *
     * @param commaSeparated e.g. {@code 127.0.0.1/32,10.0.0.0/8:443,[::1]/128:8000-8999}; null or blank for none
     * @return the entries, in order
     * @throws IllegalArgumentException naming the first entry that is not an address range with optional ports
     * @see Endpoints#of
     */
    public static List<Endpoints> parse(String commaSeparated) {
        List<Endpoints> out = new ArrayList<>();
        if (commaSeparated != null) {
            for (String entry : commaSeparated.split(",")) {
                if (!entry.isBlank()) {
                    out.add(Endpoints.of(entry.trim()));
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * @param port the port a URL names
     * @return why a URL at {@code port} of an address in the deny-list is refused, e.g. {@code must not point at
     *     port 9080 of this address, which is reserved for the bus and its dependencies (EVENTBUS_WEBHOOK_DENY)}
     * @since 0.5.0
     */
    public static String reserved(int port) {
        return "must not point at port " + port
                + " of this address, which is reserved for the bus and its dependencies (EVENTBUS_WEBHOOK_DENY)";
    }

    /**
     * Checks a URL the server is about to call, or to store for calling later. Looks the host up (unless it
     * is an address) through the resolver.
     *
     * @param url an absolute URL, as the user gave it
     * @return the addresses the host stands for, each of them permitted
     * @throws Refused saying why: the URL's form, its host's spelling or port, a refused address ({@value
     *     #INTERNAL}), a denied port ({@link #reserved}) or {@value #UNRESOLVED}
     */
    public List<InetAddress> check(String url) throws Refused {
        URI parsed;
        try {
            parsed = new URI(Objects.requireNonNull(url, "url"));
        } catch (URISyntaxException e) {
            throw new Refused("is not a valid URL");
        }
        return check(parsed);
    }

    /**
     * As {@link #check(String)}, for a parsed URL.
     *
     * @param url an absolute URL
     * @return the addresses the host stands for, each of them permitted
     * @throws Refused saying why
     */
    public List<InetAddress> check(URI url) throws Refused {
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new Refused("must be an absolute http or https URL");
        }
        if (url.getRawUserInfo() != null) {
            throw new Refused("must not contain user information");
        }
        int port = url.getPort() >= 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
        if (port < Endpoints.MIN_PORT || port > Endpoints.MAX_PORT) {
            throw new Refused(BAD_PORT);
        }
        List<InetAddress> addresses = addresses(url.getHost());
        for (InetAddress a : addresses) {
            if (!admitted(a, port)) {
                throw new Refused(INTERNAL);
            }
            if (denied(a, port)) {
                throw new Refused(reserved(port));
            }
        }
        return addresses;
    }

    /**
     * @return whether the server may connect to {@code port} of {@code a}
     * @since 0.5.0
     */
    public boolean permitted(InetAddress a, int port) {
        return admitted(a, port) && !denied(a, port);
    }

    private boolean admitted(InetAddress a, int port) {
        if (allow.stream().anyMatch(e -> e.contains(a, port))) {
            return true;
        }
        if (REFUSED.stream().anyMatch(c -> c.contains(a))) {
            return false;
        }
        InetAddress embedded = embeddedIpv4(a);
        return embedded == null || admitted(embedded, port);
    }

    private boolean denied(InetAddress a, int port) {
        if (deny.stream().anyMatch(e -> e.contains(a, port))) {
            return true;
        }
        InetAddress embedded = embeddedIpv4(a);
        return embedded != null && denied(embedded, port);
    }

    private static List<Cidr> cidrs(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(Cidr::of).toList();
    }

    private List<InetAddress> addresses(String host) throws Refused {
        if (host == null) {
            throw new Refused(SPELLING);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            InetAddress a = AddressLiterals.ipv6(host.substring(1, host.length() - 1));
            if (a == null) {
                throw new Refused(SPELLING);
            }
            return List.of(a);
        }
        InetAddress quad = AddressLiterals.ipv4(host);
        if (quad != null) {
            return List.of(quad);
        }
        if (!AddressLiterals.isDnsName(host)) {
            throw new Refused(SPELLING);
        }
        List<InetAddress> found;
        try {
            found = List.of(resolver.resolve(host));
        } catch (UnknownHostException | RuntimeException e) {
            throw new Refused(UNRESOLVED);
        }
        if (found.isEmpty()) {
            throw new Refused(UNRESOLVED);
        }
        return found;
    }

    private static InetAddress embeddedIpv4(InetAddress a) {
        if (!(a instanceof Inet6Address)) {
            return null;
        }
        byte[] b = a.getAddress();
        if (isMapped(b) || COMPATIBLE.contains(a) || NAT64.contains(a)) {
            return AddressLiterals.byAddress(new byte[] {b[12], b[13], b[14], b[15]});
        }
        if (SIX_TO_FOUR.contains(a)) {
            return AddressLiterals.byAddress(new byte[] {b[2], b[3], b[4], b[5]});
        }
        return null;
    }

    /** IPv4-mapped ({@code ::ffff:0:0/96}): Java reads such text as IPv4, so no {@link Cidr} can hold the range. */
    private static boolean isMapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }
}
