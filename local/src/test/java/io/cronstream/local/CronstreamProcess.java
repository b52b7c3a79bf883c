package io.cronstream.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Cronstream instance in its own JVM, started from this JVM's classpath, so a test can kill it
 * hard ({@code destroyForcibly}, i.e. SIGKILL) as a crash would, and start it again on the same state.
 */
final class CronstreamProcess {

    private final Map<String, String> env;
    private final Path logDir;
    private Process process;
    private int starts;

    CronstreamProcess(Map<String, String> env, Path logDir) {
        this.env = env;
        this.logDir = logDir;
    }

    CronstreamProcess start() {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp", System.getProperty("java.class.path"),
                "io.cronstream.api.CronstreamService"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(new File(logDir.toFile(), "cronstream-" + (++starts) + ".log"));
        builder.environment().putAll(env);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    int starts() {
        return starts;
    }
}
