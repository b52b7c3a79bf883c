package io.cronstream.connectors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The repository's {@code docker-compose.yml} as Docker Compose reads it: YAML (anchors resolved), then
 * {@code ${VAR}} interpolation with the values a {@code .env} file would give. Tests only.
 */
final class ComposeFile {

    /** {@code $$}, {@code ${NAME}}, {@code ${NAME:-default}} / {@code -} / {@code :?err} / {@code ?} / {@code :+alt} / {@code +}, {@code $NAME}. */
    private static final Pattern VARIABLE = Pattern.compile(
            "\\$(?:(\\$)|\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\\}|([A-Za-z_][A-Za-z0-9_]*))");

    /** One {@code ${...}} reference in the file. */
    record Reference(String name, String operator, String argument) {
        boolean required() {
            return operator != null && operator.endsWith("?");
        }

        boolean hasDefault() {
            return operator != null && operator.endsWith("-");
        }
    }

    private final Path root;
    private final String text;
    private final Map<String, Object> raw;

    private ComposeFile(Path root, String text, Map<String, Object> raw) {
        this.root = root;
        this.text = text;
        this.raw = raw;
    }

    /** The repository root, seen from a module's tests (Surefire runs them in the module directory). */
    static Path repositoryRoot() {
        Path module = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        for (Path dir = module; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docker-compose.yml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no docker-compose.yml above " + module);
    }

    static ComposeFile load() {
        return load(repositoryRoot());
    }

    @SuppressWarnings("unchecked")
    static ComposeFile load(Path root) {
        String text = read(root.resolve("docker-compose.yml"));
        Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new IllegalStateException("docker-compose.yml is not a mapping");
        }
        return new ComposeFile(root, text, (Map<String, Object>) map);
    }

    Path root() {
        return root;
    }

    String text() {
        return text;
    }

    /** The file as parsed, before interpolation. */
    Map<String, Object> raw() {
        return raw;
    }

    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> rawServices() {
        return (Map<String, Map<String, Object>>) (Map<?, ?>) raw.get("services");
    }

    /** Every variable reference in the file's values, in order of appearance. */
    List<Reference> references() {
        List<Reference> found = new ArrayList<>();
        forEachString(raw, value -> {
            Matcher matcher = VARIABLE.matcher(value);
            while (matcher.find()) {
                if (matcher.group(2) != null) {
                    found.add(new Reference(matcher.group(2), matcher.group(3), matcher.group(4)));
                } else if (matcher.group(5) != null) {
                    found.add(new Reference(matcher.group(5), null, null));
                }
            }
        });
        return found;
    }

    /**
     * The file with every value interpolated from {@code env}, as {@code docker compose config} would
     * (without its normalisation).
     *
     * @throws IllegalArgumentException for a {@code ${NAME:?error}} whose variable is unset or empty
     */
    Map<String, Object> interpolated(Map<String, String> env) {
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) interpolate(raw, env);
        return result;
    }

    private static Object interpolate(Object node, Map<String, String> env) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, value) -> copy.put(String.valueOf(key), interpolate(value, env)));
            return copy;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(item -> interpolate(item, env)).toList();
        }
        if (node instanceof String value) {
            return interpolate(value, env);
        }
        return node;
    }

    static String interpolate(String value, Map<String, String> env) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String replacement;
            if (matcher.group(1) != null) {
                replacement = "$";
            } else {
                String name = matcher.group(2) != null ? matcher.group(2) : matcher.group(5);
                String operator = matcher.group(3);
                String argument = matcher.group(4);
                String current = env.get(name);
                boolean unset = current == null;
                boolean unsetOrEmpty = unset || current.isEmpty();
                if (operator == null) {
                    replacement = unset ? "" : current;
                } else {
                    boolean missing = operator.startsWith(":") ? unsetOrEmpty : unset;
                    replacement = switch (operator.substring(operator.length() - 1)) {
                        case "-" -> missing ? argument : current;
                        case "+" -> missing ? "" : argument;
                        default -> {
                            if (missing) {
                                throw new IllegalArgumentException("required variable " + name + " is missing: " + argument);
                            }
                            yield current;
                        }
                    };
                }
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /**
     * {@code value} with every {@code ${...}} reference replaced by {@code <n>}, n its index in
     * {@code references} (to which they are added), so that a reference's text cannot be mistaken for
     * the value's own.
     */
    static String maskReferences(String value, List<Reference> references) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String replacement = matcher.group(0);
            if (matcher.group(2) != null) {
                references.add(new Reference(matcher.group(2), matcher.group(3), matcher.group(4)));
                replacement = "<" + (references.size() - 1) + ">";
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** {@code KEY=VALUE} lines of an env file, in order (comments and blank lines skipped). */
    static Map<String, String> readEnvFile(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : read(file).split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException(file + ": not KEY=VALUE: " + line);
            }
            values.put(trimmed.substring(0, equals).strip(), trimmed.substring(equals + 1).strip());
        }
        return values;
    }

    /** Every string value in the tree (map keys excluded). */
    static void forEachString(Object node, java.util.function.Consumer<String> action) {
        if (node instanceof Map<?, ?> map) {
            map.values().forEach(value -> forEachString(value, action));
        } else if (node instanceof List<?> list) {
            list.forEach(item -> forEachString(item, action));
        } else if (node instanceof String value) {
            action.accept(value);
        }
    }

    /** A service's {@code environment}, in either of its two spellings (mapping or list of {@code K=V}). */
    static Map<String, String> environment(Map<String, Object> service) {
        Object environment = service.get("environment");
        Map<String, String> values = new LinkedHashMap<>();
        if (environment instanceof Map<?, ?> map) {
            map.forEach((key, value) -> values.put(String.valueOf(key), value == null ? null : String.valueOf(value)));
        } else if (environment instanceof List<?> list) {
            for (Object item : list) {
                String entry = String.valueOf(item);
                int equals = entry.indexOf('=');
                values.put(equals < 0 ? entry : entry.substring(0, equals), equals < 0 ? null : entry.substring(equals + 1));
            }
        }
        return values;
    }

    /** A service's {@code depends_on} targets with their conditions ({@code service_started} for the list form). */
    static Map<String, String> dependsOn(Map<String, Object> service) {
        Object dependsOn = service.get("depends_on");
        Map<String, String> targets = new LinkedHashMap<>();
        if (dependsOn instanceof List<?> list) {
            list.forEach(item -> targets.put(String.valueOf(item), "service_started"));
        } else if (dependsOn instanceof Map<?, ?> map) {
            map.forEach((name, options) -> targets.put(String.valueOf(name),
                    options instanceof Map<?, ?> o && o.get("condition") != null
                            ? String.valueOf(o.get("condition")) : "service_started"));
        }
        return targets;
    }

    /** A bind mount or volume of a service: {@code source} is null for an anonymous volume. */
    record Mount(String type, String source, String target, boolean readOnly) {
        boolean isBind() {
            return type.equals("bind");
        }
    }

    static List<Mount> mounts(Map<String, Object> service) {
        List<Mount> mounts = new ArrayList<>();
        Object volumes = service.get("volumes");
        if (!(volumes instanceof List<?> list)) {
            return mounts;
        }
        for (Object item : list) {
            if (item instanceof Map<?, ?> map) {
                mounts.add(new Mount(String.valueOf(map.get("type")), (String) map.get("source"),
                        String.valueOf(map.get("target")), Boolean.TRUE.equals(map.get("read_only"))));
            } else {
                String[] parts = String.valueOf(item).split(":");
                boolean readOnly = parts.length == 3 && Set.of(parts[2].split(",")).contains("ro");
                if (parts.length == 1) {
                    mounts.add(new Mount("volume", null, parts[0], false));
                } else {
                    String source = parts[0];
                    boolean bind = source.startsWith(".") || source.startsWith("/") || source.startsWith("~");
                    mounts.add(new Mount(bind ? "bind" : "volume", source, parts[1], readOnly));
                }
            }
        }
        return mounts;
    }

    /** One published port: {@code hostIp} empty means every address. */
    record PublishedPort(String service, String hostIp, int hostPort, String protocol) {
        boolean clashesWith(PublishedPort other) {
            return hostPort == other.hostPort && protocol.equals(other.protocol)
                    && (hostIp.equals(other.hostIp) || anyAddress(hostIp) || anyAddress(other.hostIp));
        }

        private static boolean anyAddress(String ip) {
            return ip.isEmpty() || ip.equals("0.0.0.0") || ip.equals("::");
        }
    }

    /**
     * The host ports an (interpolated) service publishes: one entry per port of a range. A port mapped
     * to no host port (Docker picks one) is left out.
     */
    static List<PublishedPort> publishedPorts(String serviceName, Map<String, Object> service) {
        List<PublishedPort> ports = new ArrayList<>();
        Object declared = service.get("ports");
        if (!(declared instanceof List<?> list)) {
            return ports;
        }
        for (Object item : list) {
            String hostIp;
            String published;
            String protocol;
            if (item instanceof Map<?, ?> map) {
                hostIp = Objects.toString(map.get("host_ip"), "");
                published = map.get("published") == null ? null : String.valueOf(map.get("published"));
                protocol = Objects.toString(map.get("protocol"), "tcp");
            } else {
                String spec = String.valueOf(item);
                protocol = "tcp";
                int slash = spec.lastIndexOf('/');
                if (slash >= 0) {
                    protocol = spec.substring(slash + 1);
                    spec = spec.substring(0, slash);
                }
                hostIp = "";
                if (spec.startsWith("[")) { // [::1]:8080:80
                    int close = spec.indexOf(']');
                    hostIp = spec.substring(1, close);
                    spec = spec.substring(close + 2);
                }
                String[] parts = spec.split(":");
                switch (parts.length) {
                    case 1 -> published = null;
                    case 2 -> published = parts[0];
                    case 3 -> {
                        hostIp = parts[0];
                        published = parts[1];
                    }
                    default -> throw new IllegalArgumentException(serviceName + ": cannot read port " + item);
                }
            }
            if (published == null || published.isEmpty()) {
                continue;
            }
            String[] range = published.split("-");
            int first = Integer.parseInt(range[0]);
            int last = range.length > 1 ? Integer.parseInt(range[1]) : first;
            if (last < first) {
                throw new IllegalArgumentException(serviceName + ": empty port range " + published);
            }
            for (int port = first; port <= last; port++) {
                ports.add(new PublishedPort(serviceName, hostIp, port, protocol));
            }
        }
        return ports;
    }

    /** Names of the variables this file needs to be set (the {@code :?} / {@code ?} references). */
    Set<String> requiredVariables() {
        Set<String> names = new LinkedHashSet<>();
        references().stream().filter(Reference::required).forEach(reference -> names.add(reference.name()));
        return names;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
