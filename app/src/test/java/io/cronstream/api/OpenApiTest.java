package io.cronstream.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code /openapi.json} documents exactly the routes the server registers, with their path parameters. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiTest {

    private static final Set<HandlerType> ROUTE_METHODS = Set.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT,
            HandlerType.PATCH, HandlerType.DELETE);

    private DriverHarness harness;
    private JsonNode document;

    @BeforeAll
    void start() {
        harness = new DriverHarness();
        document = Http.get(harness.url("/openapi.json")).json();
    }

    @AfterAll
    void stop() {
        harness.close();
    }

    @Test
    void everyRegisteredRouteIsDocumented() {
        Set<String> registered = registered();
        assertThat(registered).hasSizeGreaterThanOrEqualTo(15);
        for (String route : registered) {
            String[] parts = route.split(" ", 2);
            JsonNode operation = document.path("paths").path(parts[1]).path(parts[0].toLowerCase(Locale.ROOT));
            assertThat(operation.isObject()).as(route + " is documented").isTrue();
            assertThat(operation.path("responses").size()).as(route + " has responses").isPositive();
            Matcher parameter = Pattern.compile("\\{(\\w+)}").matcher(parts[1]);
            while (parameter.find()) {
                assertThat(operation.path("parameters").findValuesAsText("name"))
                        .as(route + " documents its path parameter").contains(parameter.group(1));
            }
        }
    }

    @Test
    void everyDocumentedRouteIsRegistered() {
        Set<String> documented = new HashSet<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
        assertThat(registered()).containsExactlyInAnyOrderElementsOf(documented);
    }

    @Test
    void everyReferencedSchemaExists() {
        document.findValuesAsText("$ref").forEach(ref ->
                assertThat(document.at(ref.substring(1)).isObject()).as(ref).isTrue());
    }

    private Set<String> registered() {
        Set<String> routes = new HashSet<>();
        harness.api.app().unsafe.internalRouter.allHttpHandlers().forEach(parsed -> {
            Endpoint endpoint = parsed.endpoint;
            if (ROUTE_METHODS.contains(endpoint.method)) {
                routes.add(endpoint.method.name() + " " + endpoint.path);
            }
        });
        return routes;
    }
}
