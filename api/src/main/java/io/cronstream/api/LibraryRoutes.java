package io.cronstream.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cronstream.schemas.LibrarySummary;
import io.javalin.http.Context;
import java.util.Comparator;
import java.util.List;

/** {@code /api/v1/libraries...}: pending change sets from {@code progress-libraries} and {@code progress-library-pending}. */
final class LibraryRoutes {

    private static final Page.Order BY_ID = new Page.Order(
            Comparator.comparing((JsonNode library) -> library.path("libraryId").asText()), List.of("libraryId"));

    private final Router router;
    private final LocalStores stores;

    LibraryRoutes(Router router, LocalStores stores) {
        this.router = router;
        this.stores = stores;
    }

    /** Summaries only: a library's paths can be many, so they come with the single-library route. */
    void list(Context ctx) {
        ctx.json(router.page(ctx, StoreNames.LIBRARIES, Page.of(ctx), BY_ID,
                sink -> stores.<LibrarySummary>forEach(StoreNames.LIBRARIES, library -> true, sink)));
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
