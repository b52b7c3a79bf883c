package io.cronstream.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cronstream.schemas.LibrarySummary;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** {@code /api/v1/libraries...}: pending change sets from {@code progress-libraries} and {@code progress-library-pending}. */
final class LibraryRoutes {

    /** By id as the store orders its keys: their UTF-8 bytes. */
    private static final Page.Order BY_ID = new Page.Order((a, b) -> Arrays.compareUnsigned(utf8(a), utf8(b)),
            List.of("libraryId"));

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

    void one(Context ctx) {
        String libraryId = Params.id(ctx, "libraryId");
        int maxPaths = Params.integer(ctx, "limit", 1, 10_000, 1_000);
        router.atOwner(ctx, StoreNames.LIBRARIES, libraryId, partition -> ctx.json(stores
                .library(libraryId, partition, maxPaths)
                .orElseThrow(() -> ApiException.notFound(
                        "library '" + Params.shorten(libraryId) + "' has no recorded changes"))));
    }
}
