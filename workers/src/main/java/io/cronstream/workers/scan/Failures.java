package io.cronstream.workers.scan;

/** One-line reasons for the messages operators read on the dashboard. */
final class Failures {

    private Failures() {
    }

    static String reason(Throwable e) {
        String message = e.getMessage();
        String type = e.getClass().getSimpleName();
        return message == null || message.isBlank() ? type : type + ": " + message;
    }
}
