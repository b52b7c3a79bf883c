package io.cronstream.api;

import java.time.Duration;

/** An answer other than success: becomes {@code {"error": message, "status": status}}, never a stack trace. */
public final class ApiException extends RuntimeException {

    private final int status;
    private final Duration retryAfter;

    private ApiException(int status, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message, null);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, message, null);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, message, null);
    }

    public static ApiException preconditionFailed(String message) {
        return new ApiException(412, message, null);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message, null);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, message, null);
    }

    public static ApiException tooLarge(long limit) {
        return new ApiException(413, "request body larger than " + limit + " bytes", null);
    }

    public static ApiException tooManyRequests(String message, Duration retryAfter) {
        return new ApiException(429, message, retryAfter);
    }

    /** The answer is not known right now (rebalance, instance down): ask again soon, never a wrong 404. */
    public static ApiException unavailable(String message) {
        return new ApiException(503, message, Duration.ofSeconds(1));
    }

    public static ApiException disabled(String message) {
        return new ApiException(503, message, null);
    }

    public int status() {
        return status;
    }

    /** Whole seconds for the {@code Retry-After} header, at least 1; null when there is none. */
    public String retryAfterSeconds() {
        if (retryAfter == null) {
            return null;
        }
        long millis = retryAfter.toMillis();
        return Long.toString(Math.max(1, (millis + 999) / 1000));
    }
}
