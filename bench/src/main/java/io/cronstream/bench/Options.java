package io.cronstream.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Command-line options of {@link BenchMain}.
 *
 * @param quick tiny sizes and short windows: proves the code runs, measures nothing worth quoting
 * @param only  benchmark names to run (empty: all)
 * @param out   where the Markdown results go
 */
public record Options(boolean quick, Set<String> only, Path out) {

    public static final List<String> BENCHMARKS = List.of("ticker", "reload", "progress", "stuck", "api");

    public Options {
        only = Set.copyOf(only);
        for (String name : only) {
            if (!BENCHMARKS.contains(name)) {
                throw new IllegalArgumentException("unknown benchmark '" + name + "', expected one of " + BENCHMARKS);
            }
        }
    }

    /** {@code [--quick] [--only name[,name...]]... [--out file]}. */
    public static Options parse(String... args) {
        boolean quick = false;
        Set<String> only = new LinkedHashSet<>();
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--only" -> only.addAll(List.of(value(args, ++i, "--only").split(",")));
                case "--out" -> out = Path.of(value(args, ++i, "--out"));
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "'; usage: [--quick] [--only " + String.join("|", BENCHMARKS) + "] [--out file]");
            }
        }
        return new Options(quick, only, out != null ? out : defaultOut());
    }

    public boolean runs(String benchmark) {
        return only.isEmpty() || only.contains(benchmark);
    }

    /** bench/RESULTS.md when run from the repository root (as Maven's exec:java does), else ./RESULTS.md. */
    private static Path defaultOut() {
        return Files.isDirectory(Path.of("bench", "src")) ? Path.of("bench", "RESULTS.md") : Path.of("RESULTS.md");
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
