package com.idynic.eventbus.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Java names for JSON names, the one home of the naming rules of generated records: {@code order.placed} →
 * {@code OrderPlaced}, {@code first-name} → {@code firstName}, {@code in-transit} → {@code IN_TRANSIT}; keywords
 * and the names a record component may not take get a trailing {@code _}.
 */
final class JavaNames {
    private static final Set<String> RESERVED = Set.of(
            "abstract",
            "assert",
            "boolean",
            "break",
            "byte",
            "case",
            "catch",
            "char",
            "class",
            "const",
            "continue",
            "default",
            "do",
            "double",
            "else",
            "enum",
            "extends",
            "final",
            "finally",
            "float",
            "for",
            "goto",
            "if",
            "implements",
            "import",
            "instanceof",
            "int",
            "interface",
            "long",
            "native",
            "new",
            "package",
            "private",
            "protected",
            "public",
            "return",
            "short",
            "static",
            "strictfp",
            "super",
            "switch",
            "synchronized",
            "this",
            "throw",
            "throws",
            "transient",
            "try",
            "void",
            "volatile",
            "while",
            "true",
            "false",
            "null",
            "var",
            "yield",
            "record",
            "sealed",
            "permits",
            "_",
            // methods of Object a record component may not be named after (JLS 8.10.1)
            "clone",
            "finalize",
            "getClass",
            "hashCode",
            "notify",
            "notifyAll",
            "toString",
            "wait");
    private static final Pattern PACKAGE = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

    private JavaNames() {}

    /** @return {@code order.placed} → {@code OrderPlaced}; a leading digit gets {@code Event} in front */
    static String type(String jsonName) {
        StringBuilder b = new StringBuilder();
        for (String part : words(jsonName)) {
            b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        String name = b.length() == 0 ? "Event" : b.toString();
        return Character.isDigit(name.charAt(0)) ? "Event" + name : name;
    }

    /** @return a record component name for a property: itself when it is one, else camel case */
    static String member(String jsonName) {
        if (IDENTIFIER.matcher(jsonName).matches() && !jsonName.contains("$")) {
            return RESERVED.contains(jsonName) ? jsonName + "_" : jsonName;
        }
        String t = type(jsonName);
        String name = Character.toLowerCase(t.charAt(0)) + t.substring(1);
        return RESERVED.contains(name) ? name + "_" : name;
    }

    /** @return an enum constant for a value: {@code in-transit} and {@code inTransit} → {@code IN_TRANSIT} */
    static String constant(String value) {
        List<String> parts = new ArrayList<>();
        for (String w : words(value)) {
            parts.addAll(List.of(w.split("(?<=[a-z0-9])(?=[A-Z])")));
        }
        String name = String.join("_", parts).toUpperCase(Locale.ROOT);
        if (name.isEmpty()) {
            return "EMPTY";
        }
        return Character.isDigit(name.charAt(0)) ? "V" + name : name;
    }

    /** @return the element type's name for an array property: {@code items} → {@code Item}, {@code categories} → {@code Category} */
    static String element(String jsonName) {
        String t = type(jsonName);
        if (t.endsWith("ies") && t.length() > 3) {
            return t.substring(0, t.length() - 3) + "y";
        }
        if (t.endsWith("s") && !t.endsWith("ss") && t.length() > 1) {
            return t.substring(0, t.length() - 1);
        }
        return t + "Item";
    }

    /** @return whether {@code name} is a package name ({@code com.acme.events}) */
    static boolean isPackage(String name) {
        if (!PACKAGE.matcher(name).matches()) {
            return false;
        }
        for (String part : name.split("\\.")) {
            if (RESERVED.contains(part)) {
                return false;
            }
        }
        return true;
    }

    private static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        for (String w : s.split("[^A-Za-z0-9]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }
}
