package com.idynic.eventbus.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The command line split into positional words, valued options ({@code --name value} or {@code --name=value},
 * repeatable) and flags. Options may stand anywhere; {@code --} ends them. Unknown options are refused.
 */
final class Args {
    static final Set<String> VALUED = Set.of(
            "url",
            "api-key",
            "source",
            "key",
            "id",
            "from",
            "rate",
            "forward",
            "type",
            "interval",
            "timeout",
            "max-events",
            "limit",
            "package",
            "out",
            "version");
    static final Set<String> FLAGS = Set.of("all", "once", "no-wait", "help");

    private final List<String> positional;
    private final Map<String, List<String>> options;

    private Args(List<String> positional, Map<String, List<String>> options) {
        this.positional = List.copyOf(positional);
        this.options = options;
    }

    static Args parse(String... argv) {
        List<String> positional = new ArrayList<>();
        Map<String, List<String>> options = new LinkedHashMap<>();
        boolean onlyPositional = false;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (onlyPositional || !a.startsWith("--")) {
                positional.add(a);
                continue;
            }
            if (a.equals("--")) {
                onlyPositional = true;
                continue;
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (FLAGS.contains(name)) {
                if (value != null) {
                    throw CliException.usage("option --" + name + " takes no value");
                }
                value = "true";
            } else if (VALUED.contains(name)) {
                if (value == null) {
                    if (i + 1 >= argv.length) {
                        throw CliException.usage("option --" + name + " needs a value");
                    }
                    value = argv[++i];
                }
            } else {
                throw CliException.usage("unknown option --" + name);
            }
            options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return new Args(positional, options);
    }

    /** @return the i-th positional word (0 is the command), or empty */
    Optional<String> word(int i) {
        return i < positional.size() ? Optional.of(positional.get(i)) : Optional.empty();
    }

    /** @return the i-th positional word, or a usage error naming what is missing */
    String required(int i, String what) {
        return word(i).orElseThrow(() -> CliException.usage("missing " + what));
    }

    /** @return the positional words from index {@code from} on */
    List<String> words(int from) {
        return from < positional.size() ? positional.subList(from, positional.size()) : List.of();
    }

    /** @return the last value given for {@code --name}, or empty */
    Optional<String> option(String name) {
        List<String> v = options.get(name);
        return v == null ? Optional.empty() : Optional.of(v.get(v.size() - 1));
    }

    /** @return every value given for {@code --name}, in order */
    List<String> all(String name) {
        return options.getOrDefault(name, List.of());
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    /** @return {@code --name} as a positive whole number, or {@code fallback} when absent */
    long number(String name, long fallback) {
        Optional<String> v = option(name);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.get());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the usage error
        }
        throw CliException.usage("--" + name + " must be a positive whole number (got '" + v.get() + "')");
    }

    /** Refuses positional words beyond {@code count}, so a typo is never silently ignored. */
    void atMost(int count) {
        if (positional.size() > count) {
            throw CliException.usage("unexpected argument '" + positional.get(count) + "'");
        }
    }
}
