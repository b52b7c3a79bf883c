package io.cronstream.devstack;

import java.time.Instant;

import de.bwaldvogel.mongo.bson.Document;

/**
 * One write as change streams report it.
 *
 * @param position      unique, increasing; a BSON timestamp (seconds << 32 | counter)
 * @param operationType {@code insert}, {@code update}, {@code replace}, {@code delete} or {@code drop}
 * @param namespace     {@code database.collection}
 * @param documentId    the written document's {@code _id}; null for {@code drop}
 * @param document      insert / replace: the document written; update: the updateDescription; else null
 * @param postImage     update: the document as the update left it (MongoDB 6.0's post-image); else null
 */
record OplogEntry(long position, Instant wallTime, String operationType, String namespace,
                  Object documentId, Document document, Document postImage) {
}
