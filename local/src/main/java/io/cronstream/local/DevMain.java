package io.cronstream.local;

import io.cronstream.app.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./cronstream dev [--fresh] [--demo] [--state-dir DIR] [--kafka-port N] [--mongo-port N]
 * [--connect-port N] [--api-port N]}. Ports can also come from {@code CRONSTREAM_DEV_KAFKA_PORT},
 * {@code CRONSTREAM_DEV_MONGO_PORT}, {@code CRONSTREAM_DEV_CONNECT_PORT}, {@code CRONSTREAM_DEV_API_PORT};
 * every other {@code CRONSTREAM_*} setting applies to Cronstream as in production.
 */
public final class DevMain {

    private static final Logger LOG = LoggerFactory.getLogger(DevMain.class);

    /** What the command line asked for. */
    record Options(boolean fresh, boolean demo, Path stateDir, DevStack.Ports ports) {

        static Options parse(List<String> args, Map<String, String> env) {
            boolean fresh = false;
            boolean demo = false;
            Path stateDir = Path.of(env.getOrDefault("CRONSTREAM_DEV_STATE_DIR", ".cronstream"));
            int kafka = port(env, "CRONSTREAM_DEV_KAFKA_PORT", DevStack.Ports.DEFAULT.kafka());
            int mongo = port(env, "CRONSTREAM_DEV_MONGO_PORT", DevStack.Ports.DEFAULT.mongo());
            int connect = port(env, "CRONSTREAM_DEV_CONNECT_PORT", DevStack.Ports.DEFAULT.connect());
            int api = port(env, "CRONSTREAM_DEV_API_PORT", DevStack.Ports.DEFAULT.api());
            List<String> rest = new ArrayList<>(args);
            while (!rest.isEmpty()) {
                String arg = rest.remove(0);
                switch (arg) {
                    case "--fresh" -> fresh = true;
                    case "--demo" -> demo = true;
                    case "--state-dir" -> stateDir = Path.of(value(arg, rest));
                    case "--kafka-port" -> kafka = parsePort(arg, value(arg, rest));
                    case "--mongo-port" -> mongo = parsePort(arg, value(arg, rest));
                    case "--connect-port" -> connect = parsePort(arg, value(arg, rest));
                    case "--api-port" -> api = parsePort(arg, value(arg, rest));
                    default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
                }
            }
            return new Options(fresh, demo, stateDir, new DevStack.Ports(kafka, mongo, connect, api));
        }

        private static String value(String option, List<String> rest) {
            if (rest.isEmpty()) {
                throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
            }
            return rest.remove(0);
        }

        private static int port(Map<String, String> env, String name, int fallback) {
            String value = env.get(name);
            return value == null || value.isBlank() ? fallback : parsePort(name, value);
        }

        private static int parsePort(String option, String value) {
            try {
                int port = Integer.parseInt(value.trim());
                if (port >= 0 && port <= 65_535) {
                    return port;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException(option + ": expected a port 0-65535, got '" + value + "'");
        }
    }

    static final String USAGE = "usage: ./cronstream dev [--fresh] [--demo] [--state-dir DIR] [--kafka-port N] "
            + "[--mongo-port N] [--connect-port N] [--api-port N]";

    private DevMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Options options;
        try {
            options = Options.parse(List.of(args), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Settings settings = Settings.load(null, System.getenv());
        DevStack stack = DevStack.start(options.stateDir(), options.ports(), options.fresh(), settings);
        Demo demo = options.demo() ? Demo.start(stack) : null;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("event=stopping");
            try (stack) {
                if (demo != null) {
                    demo.close();
                }
            }
            stopped.countDown();
        }, "cronstream-dev-shutdown"));
        System.out.println(banner(stack, options));
        stopped.await();
    }

    static String banner(DevStack stack, Options options) {
        return String.join("\n",
                "",
                "Cronstream is running (dev stack, state in " + options.stateDir().toAbsolutePath()
                        + (options.fresh() ? ", started fresh" : "; --fresh wipes it") + ")",
                "  Dashboard and API  " + stack.apiUrl() + "/",
                "  MongoDB            " + stack.infrastructure().mongo().connectionString()
                        + "  (database scheduler, collection scheduled_jobs)",
                "  Kafka              " + stack.infrastructure().kafka().bootstrapServers()
                        + "  (read cronstream.job-due with isolation.level=read_committed)",
                "  Kafka Connect      " + stack.infrastructure().connect().restUrl().resolve("/connectors"),
                "  Trigger token      " + stack.api().tokenSource(),
                options.demo() ? "  Demo               example jobs and a simulated worker are running" : "",
                "Press Ctrl-C to stop.",
                "");
    }
}
