package io.cronstream.api;

/** Every error answer: {@code {"error": "...", "status": N}}. */
public record ErrorBody(String error, int status) {
}
