package io.cronstream.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.cronstream.schemas.LibraryChangeSet;
import io.cronstream.schemas.LibrarySummary;
import io.cronstream.schemas.PendingChange;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** {@code /api/v1/libraries...}: pending change sets from {@code progress-libraries} and {@code progress-library-pending}. */
final class LibraryRoutes {

    /** By id as the store orders its keys: their UTF-8 bytes. */
    private static final Page.Order BY_ID = new Page.Order((a, b) -> Arrays.compareUnsigned(utf8(a), utf8(b)),
            List.of("libraryId"));

    /** A change set with one page of its pending paths, and the cursor of the next page (null on the last). */
    record LibraryPage(@JsonUnwrapped LibraryChangeSet library, String next) {
    }

    private final Router router;
    private final LocalStores stores;

    LibraryRoutes(Router router, LocalStores stores) {
        this.router = router;
        this.stores = stores;
    }

    /** Summaries only: a library's paths can be many, so they come with the single-library route. */
    void list(Context ctx) {
        Page page = Page.of(ctx);
        String after = page.after() == null ? null : page.after().path("libraryId").asText();
        // one more than a page from each partition, so the collector knows whether there is a next page
        ctx.json(router.page(ctx, StoreNames.LIBRARIES, page, BY_ID,
                sink -> stores.<LibrarySummary>fromKey(StoreNames.LIBRARIES, after, page.limit() + 1, sink::accept)));
    }

    private static byte[] utf8(JsonNode library) {
        return library.path("libraryId").asText().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The change set with one page of its pending paths in path order ({@code ?limit=}, {@code ?cursor=}, and
     * {@code next}: the cursor of the next page, or null), so a library with a million pending paths answers a page.
     */
    void one(Context ctx) {
        String libraryId = Params.id(ctx, "libraryId");
        Page page = Page.of(ctx);
        String afterPath = page.after() == null ? null : page.after().path("path").asText(null);
        router.atOwner(ctx, StoreNames.LIBRARIES, libraryId, partition -> {
            LibraryChangeSet library = stores.library(libraryId, partition, afterPath, page.limit() + 1)
                    .orElseThrow(() -> ApiException.notFound(
                            "library '" + Params.shorten(libraryId) + "' has no recorded changes"));
            List<PendingChange> pending = library.pending();
            boolean more = pending.size() > page.limit();
            List<PendingChange> shown = more ? pending.subList(0, page.limit()) : pending;
            String next = more ? Page.cursor(JsonNodeFactory.instance.objectNode()
                    .put("path", shown.get(shown.size() - 1).path())) : null;
            ctx.json(new LibraryPage(new LibraryChangeSet(library.libraryId(), library.added(), library.modified(),
                    library.deleted(), shown, library.lastChangeAt(), library.changeCount()), next));
        });
    }
}
