package io.cronstream.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Collects rows and notes while the benchmarks run, then renders them for the console and as Markdown. */
final class Report {

    private static final String[] HEADER = {"benchmark", "figure", "Cronstream", "baseline", "baseline value",
        "ratio", "detail", "load 1m"};

    private final Options options;
    private final String command;
    private final Instant startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final String loadAtStart = Machine.loadAverage();
    private final List<Row> rows = new ArrayList<>();
    private final Map<String, List<String>> notes = new LinkedHashMap<>();
    private String loadAtEnd;

    Report(Options options, String command) {
        this.options = options;
        this.command = command;
    }

    synchronized void add(Row row) {
        rows.add(row);
        System.out.println("  " + render(row, false));
    }

    synchronized void note(String benchmark, String text) {
        notes.computeIfAbsent(benchmark, key -> new ArrayList<>()).add(text);
    }

    synchronized List<Row> rows() {
        return List.copyOf(rows);
    }

    synchronized Map<String, List<String>> notes() {
        return Map.copyOf(notes);
    }

    void finish() {
        loadAtEnd = Machine.loadAverage();
    }

    String console() {
        List<String[]> cells = new ArrayList<>();
        cells.add(HEADER);
        rows().forEach(row -> cells.add(cells(row, false)));
        int[] widths = new int[HEADER.length];
        cells.forEach(line -> {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        });
        StringBuilder out = new StringBuilder();
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                out.append(String.format("%-" + widths[i] + "s", line[i])).append(i < line.length - 1 ? "  " : "\n");
            }
        }
        return out.toString();
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Cronstream benchmark results\n\n");
        if (options.quick()) {
            md.append("**Quick run (`--quick`): tiny sizes that only prove the code runs. Do not quote these numbers.**\n\n");
        }
        md.append("Generated ").append(startedAt).append(" by:\n\n```\n").append(command).append("\n```\n\n");
        md.append("## Machine\n\n");
        md.append("- CPU: ").append(Machine.cpuModel()).append(", ").append(Machine.cores()).append(" cores\n");
        md.append("- Memory: ").append(Machine.memory()).append("\n");
        md.append("- OS: ").append(Machine.os()).append("\n");
        md.append("- Java: ").append(Machine.java()).append("\n");
        md.append("- Kafka (broker, clients, Streams): ").append(Machine.kafka())
                .append("; Quartz ").append(Machine.quartz()).append("\n");
        md.append("- Load average (1, 5, 15 min) at start: ").append(loadAtStart).append("; at end: ")
                .append(loadAtEnd).append(". The machine is shared with other builds: every figure carries the "
                        + "1-minute load when it was taken (Cronstream's / the baseline's where they ran apart).\n\n");
        md.append("## Results\n\n");
        md.append("Ratio = Cronstream ÷ baseline (1/n: Cronstream's figure is n times smaller), both measured in this "
                + "run on this machine unless the baseline says otherwise.\n\n");
        md.append('|');
        for (String h : HEADER) {
            md.append(' ').append(h).append(" |");
        }
        md.append("\n|");
        md.append(" --- |".repeat(HEADER.length)).append('\n');
        rows().forEach(row -> md.append("| ").append(String.join(" | ", cells(row, true))).append(" |\n"));
        md.append("\n## Notes\n");
        notes().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            md.append("\n### ").append(entry.getKey()).append("\n\n");
            entry.getValue().forEach(text -> md.append("- ").append(text).append('\n'));
        });
        return md.toString();
    }

    void write(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(file, markdown());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String render(Row row, boolean markdown) {
        return String.join(" | ", cells(row, markdown));
    }

    private static String[] cells(Row row, boolean markdown) {
        String ratio = ratio(row.ratio());
        return new String[] {
            row.benchmark(),
            row.figure(),
            number(row.value()) + " " + row.unit(),
            row.baseline() == null ? "" : row.baseline(),
            row.baselineValue() != null ? number(row.baselineValue()) + " " + row.unit()
                    : row.baseline() != null ? "not run" : "",
            ratio,
            markdown ? row.detail().replace("|", "\\|") : row.detail(),
            row.load()
        };
    }

    /** Small ratios as a fraction, so 1/4,500 does not print as 0.00. */
    static String ratio(double ratio) {
        if (Double.isNaN(ratio)) {
            return "";
        }
        return ratio < 0.1 ? "1/" + number(1 / ratio) : number(ratio) + "×";
    }

    /** Three significant figures at most, thousands grouped: easy to read, honest about precision. */
    static String number(double value) {
        double abs = Math.abs(value);
        if (abs >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (abs >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (abs >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (abs >= 1) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
