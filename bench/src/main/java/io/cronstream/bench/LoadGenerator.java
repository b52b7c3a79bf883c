package io.cronstream.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP load on loopback for a fixed time with a fixed number of connections: wrk when it is installed
 * (Debian package {@code wrk}), else a Java HttpClient loop, so the benchmark also runs where wrk is not.
 * Both servers of one comparison get the same generator.
 */
final class LoadGenerator {

    /** What one load run measured. */
    record Result(long requests, long errors, double requestsPerSecond, double p50Ms, double p99Ms) {
    }

    private static final Pattern WRK_PERCENTILE = Pattern.compile("^\\s+(50|99)%\\s+([\\d.]+)(us|ms|s)\\s*$",
            Pattern.MULTILINE);
    private static final Pattern WRK_RATE = Pattern.compile("^Requests/sec:\\s+([\\d.]+)", Pattern.MULTILINE);
    private static final Pattern WRK_TOTAL = Pattern.compile("^\\s+(\\d+) requests in", Pattern.MULTILINE);
    private static final Pattern WRK_NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern WRK_SOCKET_ERRORS = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    /** One load thread's latencies (nanoseconds) and failed requests. */
    private static final class Worker {
        private final LongSamples latencies;
        private long errors;

        Worker(LongSamples latencies) {
            this.latencies = latencies;
        }

        LongSamples latencies() {
            return latencies;
        }
    }

    private final int connections;
    private final Duration duration;
    private final boolean wrk;

    LoadGenerator(int connections, Duration duration) {
        this.connections = connections;
        this.duration = duration;
        this.wrk = wrkInstalled();
    }

    /** What generates the load, for the report. */
    String description() {
        return String.format(Locale.ROOT, "%s, %d connections, %d s per server",
                wrk ? "wrk 4 (2 threads)" : "Java HttpClient loop (" + connections + " threads; wrk not installed)",
                connections, duration.toSeconds());
    }

    Result run(URI url) {
        if (!"127.0.0.1".equals(url.getHost()) && !"localhost".equals(url.getHost())) {
            throw new IllegalArgumentException("load goes to loopback only, not " + url);
        }
        return wrk ? wrk(url) : java(url);
    }

    private Result wrk(URI url) {
        List<String> command = List.of("wrk", "-t2", "-c" + connections, "-d" + duration.toSeconds() + "s",
                "--timeout", "5s", "--latency", url.toString());
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("wrk failed: " + out);
            }
            double p50 = Double.NaN;
            double p99 = Double.NaN;
            Matcher percentile = WRK_PERCENTILE.matcher(out);
            while (percentile.find()) {
                double ms = millis(Double.parseDouble(percentile.group(2)), percentile.group(3));
                if (percentile.group(1).equals("50")) {
                    p50 = ms;
                } else {
                    p99 = ms;
                }
            }
            long errors = find(WRK_NON_2XX, out).map(Long::parseLong).orElse(0L);
            Matcher socket = WRK_SOCKET_ERRORS.matcher(out);
            if (socket.find()) {
                for (int g = 1; g <= 4; g++) {
                    errors += Long.parseLong(socket.group(g));
                }
            }
            return new Result(Long.parseLong(find(WRK_TOTAL, out).orElseThrow()), errors,
                    Double.parseDouble(find(WRK_RATE, out).orElseThrow()), p50, p99);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run wrk", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private Result java(URI url) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        try {
            List<Future<Worker>> workers = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                workers.add(pool.submit(() -> {
                    Worker worker = new Worker(new LongSamples());
                    while (System.nanoTime() < end) {
                        long sent = System.nanoTime();
                        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        worker.latencies().add(System.nanoTime() - sent);
                        worker.errors += response.statusCode() == 200 ? 0 : 1;
                    }
                    return worker;
                }));
            }
            LongSamples all = new LongSamples();
            long errors = 0;
            for (Future<Worker> worker : workers) {
                all.addAll(worker.get().latencies());
                errors += worker.get().errors;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Percentiles p = all.percentiles();
            return new Result(p.count(), errors, p.count() / seconds, p.p50() / 1e6, p.p99() / 1e6);
        } catch (Exception e) {
            throw new IllegalStateException("load against " + url + " failed", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static boolean wrkInstalled() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "wrk"))) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static double millis(double value, String unit) {
        return switch (unit) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }
}
