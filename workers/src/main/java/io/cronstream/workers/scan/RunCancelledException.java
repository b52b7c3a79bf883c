package io.cronstream.workers.scan;

/** A run stopped because a CANCEL for it arrived on run-control; it reports RUN_FAILED with the reason. */
final class RunCancelledException extends RuntimeException {

    RunCancelledException(String reason) {
        super(reason, null, false, false);
    }

    /** The RUN_FAILED error: "cancelled: &lt;reason&gt;". */
    String error() {
        return "cancelled: " + getMessage();
    }
}
