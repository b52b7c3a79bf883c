package io.cronstream.api;

import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Requests Jetty refuses before Javalin sees them (malformed or ambiguous URIs, oversized
 * headers) get the same JSON error shape as everything else, and never a stack trace.
 */
final class JsonErrorHandler extends ErrorHandler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        // A request line Jetty cannot parse (a raw space or newline in the target) is the client's error,
        // whatever the parser concluded about the protocol version.
        if (status < 400 || status == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505) {
            status = HttpStatus.BAD_REQUEST_400;
            response.setStatus(status);
        }
        String reason = HttpStatus.getMessage(status);
        String body = "{\"error\":\"" + (reason == null ? "error" : reason) + "\",\"status\":" + status + "}";
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        // Jetty drops the connection after a request it could not parse; saying so keeps clients
        // from sending their next request into a closed connection.
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.write(true, BufferUtil.toBuffer(body, StandardCharsets.UTF_8), callback);
        return true;
    }
}
