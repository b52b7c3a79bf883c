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

    /**
     * DESIGN §11: in production mode every /api/v1 route needs a bearer token (401 without one; in dev mode a
     * foreign Host is 403), and the document says so: the bearer scheme applies to every operation unless it
     * opts out, as only the open routes (health, readiness, metrics, the document, the dashboard) do.
     */
    @Test
    void everyApiRouteNeedsTheBearerTokenAndSaysSo() {
        assertThat(document.path("components").path("securitySchemes").path("bearer").path("scheme").asText())
                .isEqualTo("bearer");
        assertThat(document.path("security").toString()).isEqualTo("[{\"bearer\":[]}]");
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            String route = op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
            JsonNode operation = op.getValue();
            if (path.getKey().startsWith("/api/")) {
                assertThat(operation.path("responses").has("401")).as(route + " lists 401").isTrue();
                assertThat(operation.path("responses").has("403")).as(route + " lists 403").isTrue();
                assertThat(operation.has("security") && operation.path("security").isEmpty())
                        .as(route + " does not opt out of the bearer token").isFalse();
            } else {
                assertThat(operation.path("security").isArray() && operation.path("security").isEmpty())
                        .as(route + " is open: security []").isTrue();
            }
            if (op.getKey().equals("get") && path.getKey().startsWith("/api/")) {
                Http.Response anonymous = Http.get(harness.url(path.getKey().replaceAll("\\{\\w+}", "x")),
                        "Accept", "application/json");
                assertThat(anonymous.status()).as(route + " without a token, in production").isEqualTo(401);
            }
        }));
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
