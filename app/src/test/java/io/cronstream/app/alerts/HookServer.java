package io.cronstream.app.alerts;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

/**
 * A webhook on loopback (JDK HttpServer): answers the n-th request (1-based) with the status {@code answer} gives,
 * or, for status {@link #HANG}, never (until closed); keeps every body it was sent.
 */
final class HookServer implements AutoCloseable {

    static final int HANG = -1;

    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    /** @param delayMillis how long each answer takes (a slow webhook) */
    HookServer(IntUnaryOperator answer, long delayMillis) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/hook", exchange -> handle(exchange, answer, delayMillis));
        server.start();
    }

    static HookServer answering(int status) {
        return new HookServer(n -> status, 0);
    }

    private void handle(HttpExchange exchange, IntUnaryOperator answer, long delayMillis) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        int n = requests.incrementAndGet();
        bodies.add(body);
        int status = answer.applyAsInt(n);
        try {
            if (status == HANG) {
                closing.await();
                return;
            }
            if (delayMillis > 0) {
                Thread.sleep(delayMillis); // the webhook's own slowness, not a wait of the test
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook/services/T0/B0/secret");
    }

    int requests() {
        return requests.get();
    }

    List<String> bodies() {
        return bodies;
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
