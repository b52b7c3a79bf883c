package io.cronstream.local.faults;

import io.cronstream.connectors.ConnectorDefinition;
import io.cronstream.devstack.EmbeddedConnect;
import io.cronstream.local.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Kafka Connect standalone worker running the MongoDB source connector in its own JVM, so a test
 * can kill it as a crash would: {@link #kill()} is SIGKILL (no last offset flush: the change-stream
 * resume token on disk is up to {@code offset.flush.interval.ms} old), while {@link #stop()} closes
 * the child's stdin, on which it stops the worker cleanly (which flushes its offsets) and exits.
 * In-process, Connect can only be stopped gracefully; a crash needs a process to kill. (Not SIGTERM
 * for the clean stop: Jetty's own shutdown hook and a hook stopping Connect race and can hang.)
 */
final class ConnectProcess {

    private static final List<String> JVM_FLAGS = List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xshare:auto");

    private final String bootstrap;
    private final int restPort;
    private final Path dataDir;
    private final String mongoUri;
    private final Path logDir;
    private Process process;
    private int starts;

    ConnectProcess(String bootstrap, int restPort, Path dataDir, String mongoUri, Path logDir) {
        this.bootstrap = bootstrap;
        this.restPort = restPort;
        this.dataDir = dataDir;
        this.mongoUri = mongoUri;
        this.logDir = logDir;
    }

    /** Starts the worker; {@code fresh} forgets stored offsets. Ready once {@link #running()}. */
    ConnectProcess start(boolean fresh) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ConnectProcess.class.getName(),
                bootstrap, Integer.toString(restPort), dataDir.toString(), Boolean.toString(fresh), mongoUri));
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(logDir.resolve("connect-" + ++starts + ".log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** The connector and its task are RUNNING, as the worker's REST API reports them. */
    boolean running() {
        try {
            Http.Answer status = new Http("http://localhost:" + restPort)
                    .get("/connectors/" + connector(mongoUri).name() + "/status");
            return status.status() == 200 && "RUNNING".equals(status.body().path("connector").path("state").asText())
                    && "RUNNING".equals(status.body().path("tasks").path(0).path("state").asText());
        } catch (UncheckedIOException notListeningYet) {
            return false;
        }
    }

    /** SIGKILL: the worker dies between offset flushes, as in a crash. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** A clean stop: end of stdin, on which the child closes the worker (flushing its offsets) and exits. */
    void stop() throws InterruptedException, IOException {
        process.getOutputStream().close();
        process.waitFor();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    private static ConnectorDefinition connector(String mongoUri) {
        return ConnectorDefinition.mongoScheduledJobs().with("connection.uri", mongoUri);
    }

    /** The child: {@code bootstrap restPort dataDir fresh mongoUri}; runs until killed, or stdin ends. */
    public static void main(String[] args) throws IOException {
        EmbeddedConnect connect = EmbeddedConnect.start(args[0], Integer.parseInt(args[1]), Path.of(args[2]),
                Boolean.parseBoolean(args[3]), List.of(connector(args[4])));
        while (System.in.read() != -1) {
            // nothing is sent: the end of the stream is the signal
        }
        connect.close();
        System.exit(0);
    }
}
