package io.cronstream.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Command-line options of {@link BenchMain}.
 *
 * @param quick tiny sizes and short windows: proves the code runs, measures nothing worth quoting
 * @param only  benchmark names to run (empty: all)
 * @param out   where the Markdown results go
 * @param jobs  job counts for the ticker benchmark instead of its defaults (empty: the defaults)
 */
public record Options(boolean quick, Set<String> only, Path out, List<Integer> jobs) {

    public static final List<String> BENCHMARKS = List.of("ticker", "reload", "progress", "stuck", "api", "reads");

    public Options {
        only = Set.copyOf(only);
        jobs = List.copyOf(jobs);
        for (String name : only) {
            if (!BENCHMARKS.contains(name)) {
                throw new IllegalArgumentException("unknown benchmark '" + name + "', expected one of " + BENCHMARKS);
            }
        }
    }

    /** {@code [--quick] [--only name[,name...]]... [--out file] [--jobs n[,n...]]}. */
    public static Options parse(String... args) {
        boolean quick = false;
        Set<String> only = new LinkedHashSet<>();
        Path out = null;
        List<Integer> jobs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--only" -> only.addAll(List.of(value(args, ++i, "--only").split(",")));
                case "--out" -> out = Path.of(value(args, ++i, "--out"));
                case "--jobs" -> Stream.of(value(args, ++i, "--jobs").split(",")).map(Integer::valueOf).forEach(jobs::add);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "'; usage: [--quick] [--only " + String.join("|", BENCHMARKS) + "] [--out file] [--jobs n,n...]");
            }
        }
        return new Options(quick, only, out != null ? out : defaultOut(), jobs);
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
