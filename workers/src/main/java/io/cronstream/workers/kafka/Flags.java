package io.cronstream.workers.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Command-line flags of the form {@code --name value} (or {@code --name=value}); a flag may take several
 * values ({@code --library <id> <folder>}). Unknown or incomplete flags are errors, so a typo never silently
 * falls back to a default.
 */
public final class Flags {

    private final Map<String, List<String>> values;

    private Flags(Map<String, List<String>> values) {
        this.values = values;
    }

    /** @param arity how many values each known flag takes; 0 makes it a switch */
    public static Flags parse(String[] args, Map<String, Integer> arity) {
        Map<String, List<String>> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            List<String> given = new ArrayList<>();
            int equals = name.indexOf('=');
            if (equals >= 0) {
                given.add(name.substring(equals + 1));
                name = name.substring(0, equals);
            }
            Integer wanted = arity.get(name);
            if (wanted == null) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
            while (given.size() < wanted) {
                if (++i >= args.length || args[i].startsWith("--")) {
                    throw new IllegalArgumentException("--" + name + " needs " + wanted + " value(s)");
                }
                given.add(args[i]);
            }
            if (given.size() > wanted || values.putIfAbsent(name, List.copyOf(given)) != null) {
                throw new IllegalArgumentException("--" + name + " given more than once or with too many values");
            }
        }
        return new Flags(values);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name)).map(list -> list.get(0));
    }

    public String value(String name, String fallback) {
        return value(name).orElse(fallback);
    }

    public List<String> values(String name) {
        return values.getOrDefault(name, List.of());
    }
}
