package com.idynic.eventbus.subscribers;

import java.net.InetAddress;
import java.util.Objects;

/**
 * An address range such as {@code 10.0.0.0/8} or {@code fd00::/8}, as the {@link AddressGuard}'s refused ranges
 * and the address part of its allow-list and deny-list entries ({@link Endpoints}) are written.
 *
 * @param network an address inside the range (bits after the prefix are ignored)
 * @param prefix how many leading bits an address must share with {@code network}: 0-32 for IPv4, 0-128
 *     for IPv6
 * @since 0.4.0
 */
public record Cidr(InetAddress network, int prefix) {
    public Cidr {
        Objects.requireNonNull(network, "network");
        if (prefix < 0 || prefix > network.getAddress().length * 8) {
            throw new IllegalArgumentException("prefix /" + prefix + " does not fit " + network.getHostAddress());
        }
    }

    /**
     * @param text {@code address/prefix}, e.g. {@code 127.0.0.1/32}, {@code fd00::/8}; a bare address is one
     *     host
     * @throws IllegalArgumentException naming {@code text} when it is not an IPv4 or IPv6 CIDR
     */
    public static Cidr of(String text) {
        int slash = text.indexOf('/');
        InetAddress a = AddressLiterals.literal(slash < 0 ? text : text.substring(0, slash));
        String bits = slash < 0 ? null : text.substring(slash + 1);
        if (a == null || (bits != null && !bits.matches("[0-9]{1,3}"))) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not an IPv4 or IPv6 CIDR such as 10.0.0.0/8 or fd00::/8");
        }
        int max = a.getAddress().length * 8;
        int prefix = bits == null ? max : Integer.parseInt(bits);
        if (prefix > max) {
            throw new IllegalArgumentException("'" + text + "' has a prefix longer than " + max + " bits");
        }
        return new Cidr(a, prefix);
    }

    /** @return whether {@code a} is inside this range; an IPv4 address is never inside an IPv6 range */
    public boolean contains(InetAddress a) {
        byte[] n = network.getAddress();
        byte[] x = a.getAddress();
        if (n.length != x.length) {
            return false;
        }
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (n[i] != x[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        int mask = (0xff << (8 - rest)) & 0xff;
        return rest == 0 || (n[whole] & mask) == (x[whole] & mask);
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefix;
    }
}
