package com.idynic.eventbus.subscribers;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * The host spellings the {@link AddressGuard} and {@link Cidr} accept, read without asking DNS: a dotted-quad
 * IPv4 address, an IPv6 literal, or a DNS name whose last label starts with a letter, so that no spelling is
 * read as an address by one reader and as a name by another.
 */
final class AddressLiterals {
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern DOTTED_QUAD = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    private AddressLiterals() {}

    /** @return whether {@code host} is a DNS name whose last label starts with a letter (so it is no number) */
    static boolean isDnsName(String host) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        String[] labels = name.split("\\.", -1);
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return Character.isLetter(labels[labels.length - 1].charAt(0));
    }

    /** @return the address a dotted quad or an IPv6 literal (no brackets) stands for, or null; never asks DNS */
    static InetAddress literal(String text) {
        InetAddress quad = ipv4(text);
        return quad != null ? quad : ipv6(text);
    }

    /** @return the address a dotted quad stands for, or null for any other text */
    static InetAddress ipv4(String text) {
        if (!DOTTED_QUAD.matcher(text).matches()) {
            return null;
        }
        String[] parts = text.split("\\.");
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            b[i] = (byte) Integer.parseInt(parts[i]);
        }
        return byAddress(b);
    }

    /** @return the address an IPv6 literal (no brackets) stands for, or null for any other text */
    static InetAddress ipv6(String text) {
        if (text.indexOf(':') < 0 || !IPV6_CHARS.matcher(text).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(text); // holds ':' and no letter beyond a-f: parsed, never looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** @return the address of 4 or 16 bytes */
    static InetAddress byAddress(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
