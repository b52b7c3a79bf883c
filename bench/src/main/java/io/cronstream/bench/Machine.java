package io.cronstream.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.utils.AppInfoParser;
import org.quartz.core.QuartzScheduler;

/** Facts about the machine and this JVM, read from /proc where Linux keeps them. */
final class Machine {

    private Machine() {
    }

    /** The 1, 5 and 15 minute load averages, as /proc/loadavg prints them. */
    static String loadAverage() {
        return readFirstLine(Path.of("/proc/loadavg"))
                .map(line -> String.join(" ", List.of(line.split(" ")).subList(0, 3)))
                .orElse("n/a");
    }

    /** The 1-minute load average. */
    static double load1() {
        String load = loadAverage();
        return load.equals("n/a") ? Double.NaN : Double.parseDouble(load.split(" ")[0]);
    }

    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    static String cpuModel() {
        return grep(Path.of("/proc/cpuinfo"), "model name").orElse("unknown CPU");
    }

    static String memory() {
        return grep(Path.of("/proc/meminfo"), "MemTotal")
                .map(kb -> String.format("%.1f GiB", Long.parseLong(kb.replace("kB", "").trim()) / 1024.0 / 1024.0))
                .orElse("unknown");
    }

    static String java() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB";
    }

    static String os() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version");
    }

    static String kafka() {
        return AppInfoParser.getVersion();
    }

    static String quartz() {
        return QuartzScheduler.getVersionMajor() + "." + QuartzScheduler.getVersionMinor() + "."
                + QuartzScheduler.getVersionIteration();
    }

    /** Live heap after a full collection: what the data set keeps, not what the collector has yet to free. */
    static long liveHeapBytes() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getUsed();
    }

    private static Optional<String> grep(Path file, String key) {
        try {
            return Files.readAllLines(file).stream()
                    .filter(line -> line.startsWith(key))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> readFirstLine(Path file) {
        try {
            return Files.readAllLines(file).stream().findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
