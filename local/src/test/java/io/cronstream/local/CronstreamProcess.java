package io.cronstream.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Cronstream instance in its own JVM, started from this JVM's classpath, so a test can kill it
 * hard ({@code destroyForcibly}, i.e. SIGKILL) as a crash would, and start it again on the same state.
 * Each start logs to {@code <logDir>/<name>-<n>.log}.
 */
public final class CronstreamProcess {

    /**
     * Start-up flags for a JVM that is killed and restarted many times on a small machine: C1 only and
     * the serial collector start faster and leave the cores to the broker and the other instance.
     */
    private static final List<String> JVM_FLAGS = List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xshare:auto");

    private final String name;
    private final Map<String, String> env;
    private final Path logDir;
    private Process process;
    private int starts;

    public CronstreamProcess(String name, Map<String, String> env, Path logDir) {
        this.name = name;
        this.env = env;
        this.logDir = logDir;
    }

    public CronstreamProcess(Map<String, String> env, Path logDir) {
        this("cronstream", env, logDir);
    }

    public CronstreamProcess start() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.cronstream.app.CronstreamService"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log(++starts).toFile());
        builder.environment().putAll(env);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** SIGKILL: no shutdown hook, no last commit, no leaving the group. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM and wait: the shutdown hook closes Kafka Streams and the API. */
    public void stop() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    /**
     * SIGSTOP: every thread of the JVM freezes at once, as in a long GC pause or a suspended VM; it
     * keeps its tasks, buffers and open transaction in memory and learns nothing until {@link #resume()}.
     */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT: the paused JVM carries on where it stopped, still believing it owns its tasks. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        // ProcessHandle can only terminate; kill(1) is the portable way to send any other signal
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " exited with " + kill.exitValue());
        }
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public int starts() {
        return starts;
    }

    /** The log of start number {@code n} (1-based). */
    public Path log(int n) {
        return logDir.resolve(name + "-" + n + ".log");
    }

    public List<Path> logs() {
        List<Path> logs = new ArrayList<>();
        for (int n = 1; n <= starts; n++) {
            logs.add(log(n));
        }
        return logs;
    }

    @Override
    public String toString() {
        return name + (process == null ? "" : "[pid " + process.pid() + "]");
    }
}
