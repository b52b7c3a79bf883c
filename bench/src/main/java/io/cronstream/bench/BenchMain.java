package io.cronstream.bench;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * Runs the benchmarks of issue 6 and writes {@code bench/RESULTS.md}:
 * {@code mvn -q -pl bench -am compile exec:java -Dexec.mainClass=io.cronstream.bench.BenchMain
 * -Dexec.args="[--quick] [--only ticker,reload,progress,stuck,api,reads] [--jobs 10000,100000] [--out file]"}.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Report report = run(options, command(args));
        System.out.println();
        System.out.print(report.console());
        System.out.println("\nwritten to " + options.out().toAbsolutePath());
        // Kafka, Connect and Jetty leave non-daemon threads behind after close; the results are written.
        System.exit(0);
    }

    /** Runs the selected benchmarks, writes the Markdown file and returns the report. */
    public static Report run(Options options, String command) throws Exception {
        Report report = new Report(options, command);
        System.out.printf(Locale.ROOT, "load average at start: %s (%d cores)%n", Machine.loadAverage(), Machine.cores());
        try (Workspace workspace = Workspace.create()) {
            if (options.runs("ticker")) {
                new TickerBench(workspace, report, options).run();
            }
            if (options.runs("reload")) {
                new ReloadBench(workspace, report, options.quick()).run();
            }
            if (options.runs("progress")) {
                new ProgressBench(workspace, report, options.quick()).run();
            }
            if (options.runs("stuck")) {
                new StuckScanBench(workspace, report, options.quick()).run();
            }
            if (options.runs("api")) {
                new ApiBench(workspace, report, options.quick()).run();
            }
            if (options.runs("reads")) {
                new ReadScaleBench(workspace, report, options.quick()).run();
            }
        }
        report.finish();
        report.write(options.out());
        return report;
    }

    /** How this run was started: the Maven command line when run through exec:java, else the java one. */
    private static String command(String[] args) {
        String javaCommand = System.getProperty("sun.java.command", "");
        String launcher = "org.codehaus.plexus.classworlds.launcher.Launcher ";
        if (javaCommand.startsWith(launcher)) {
            String mavenOpts = System.getenv().getOrDefault("MAVEN_OPTS", "").trim();
            return (mavenOpts.isEmpty() ? "" : "MAVEN_OPTS=\"" + mavenOpts + "\" ") + "mvn "
                    + javaCommand.substring(launcher.length());
        }
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
        return "java " + (jvm.isEmpty() ? "" : String.join(" ", jvm) + " ") + BenchMain.class.getName()
                + (args.length == 0 ? "" : " " + String.join(" ", args));
    }
}
