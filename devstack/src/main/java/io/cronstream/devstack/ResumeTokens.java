package io.cronstream.devstack;

import java.util.Locale;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;

/**
 * Resume tokens shaped like MongoDB's ({@code {_data: "82<timestamp as 16 hex digits>"}}): the
 * connector's metrics decode the leading canonical-type byte 0x82 and the big-endian BSON timestamp
 * that follows. The timestamp is the oplog position, which is all a token has to carry here.
 */
final class ResumeTokens {

    private static final String PREFIX = "82";
    private static final String DATA = "_data";
    private static final int INVALID_RESUME_TOKEN = 260;

    private ResumeTokens() {
    }

    static Document of(long position) {
        return new Document(DATA, PREFIX + String.format(Locale.ROOT, "%016X", position));
    }

    static long position(Object token) {
        if (token instanceof Document document && document.get(DATA) instanceof String data
                && data.length() >= PREFIX.length() + 16 && data.startsWith(PREFIX)) {
            try {
                return Long.parseUnsignedLong(data.substring(PREFIX.length(), PREFIX.length() + 16), 16);
            } catch (NumberFormatException e) {
                // reported below, like any other token this server did not issue
            }
        }
        throw new MongoServerError(INVALID_RESUME_TOKEN, "InvalidResumeToken", "Invalid resume token: " + token);
    }
}
