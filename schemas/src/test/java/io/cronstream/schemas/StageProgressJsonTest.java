package io.cronstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The streaming read of a worker's event accepts exactly what the codec accepts, as the same event, and refuses
 * exactly what it refuses, with the same reason: generated records, most of them plausible, many subtly not.
 */
class StageProgressJsonTest {

    private static final JsonCodec<StageProgressEvent> CODEC = JsonCodec.of(StageProgressEvent.class);

    @Example
    void everyDayEventsTakeTheStreamingRead() {
        List<String> everyDay = List.of(
                "{\"runId\":\"r-1\",\"jobId\":\"j\",\"kind\":\"RUN_STARTED\",\"at\":\"2026-12-05T01:02:03.456Z\"}",
                "{\"runId\":\"r-1\",\"stage\":\"scan\",\"kind\":\"STAGE_STARTED\",\"total\":10,\"at\":\"2026-12-05T01:02:03Z\"}",
                "{ \"runId\": \"r-1\", \"stage\": \"scan\", \"kind\": \"PROGRESS\", \"increment\": 2, \"eventId\": \"e\","
                        + " \"at\": \"2026-12-05T01:02:03.123456789Z\", \"message\": \"caf\\u00e9\" }",
                "{\"runId\":\"r-1\",\"kind\":\"RUN_FAILED\",\"error\":\"boom\",\"at\":\"2026-12-05T01:02:03Z\"}");
        for (String json : everyDay) {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            assertThat(StageProgressJson.plain(bytes)).as(json).isNotNull().isEqualTo(CODEC.read(bytes));
        }
    }

    @Property(tries = 5000)
    void acceptsAndRefusesExactlyAsTheCodecDoes(@ForAll("records") String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        net.jqwik.api.statistics.Statistics.label("read").collect(StageProgressJson.plain(bytes) != null ? "streaming"
                : "codec");
        assertThat(outcome(() -> StageProgressJson.read(bytes))).as(json).isEqualTo(outcome(() -> CODEC.read(bytes)));
    }

    private static Object outcome(java.util.function.Supplier<StageProgressEvent> read) {
        try {
            return read.get();
        } catch (InvalidRecordException e) {
            return "refused: " + e.getMessage();
        }
    }

    @Provide
    Arbitrary<String> records() {
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.strings().alpha().numeric().withChars("-_.:@ ").ofMinLength(1).ofMaxLength(12).map(StageProgressJsonTest::quoted),
                Arbitraries.of("\"\"", "null", "1", "true", "[]", "{}", "\"caf\\u00e9\"", "\"tab\\there\"", "\"é\"",
                        "\"" + "x".repeat(600) + "\"", "\"a\\u0000b\""));
        Arbitrary<String> count = Arbitraries.oneOf(Arbitraries.longs().between(-3, 40).map(String::valueOf),
                Arbitraries.of("null", "1.5", "2.0", "1e3", "\"5\"", "9223372036854775807", "92233720368547758070",
                        "-0", "true"));
        Arbitrary<String> kind = Arbitraries.oneOf(
                Arbitraries.of(ProgressKind.class).map(k -> quoted(k.name())),
                Arbitraries.of("\"progress\"", "null", "2", "\"NOPE\"", "\"PROGRESS \""));
        Arbitrary<String> at = Arbitraries.of("\"2026-12-05T01:02:03Z\"", "\"2026-12-05T01:02:03.5Z\"",
                "\"2026-12-05T02:02:03+01:00\"", "\"2026-12-05 01:02:03\"", "1733360523", "null", "\"\"",
                "\"2026-02-30T01:02:03Z\"", "\"+12026-12-05T01:02:03Z\"", "\"2026-12-05T01:02:03.000Z\"",
                "\"2026-12-05T01:02:03,5Z\"", "\"2026-12-05t01:02:03z\"", "\"2026-12-05T01:02:60Z\"");
        Arbitrary<String> field = Arbitraries.oneOf(
                text.map(v -> "\"runId\":" + v), text.map(v -> "\"jobId\":" + v), text.map(v -> "\"jobType\":" + v),
                Arbitraries.of("scan", "thumbnail", "").map(v -> "\"stage\":" + quoted(v)),
                text.map(v -> "\"stage\":" + v), text.map(v -> "\"message\":" + v), text.map(v -> "\"eventId\":" + v),
                text.map(v -> "\"error\":" + v), kind.map(v -> "\"kind\":" + v), at.map(v -> "\"at\":" + v),
                count.map(v -> "\"total\":" + v), count.map(v -> "\"increment\":" + v),
                count.map(v -> "\"completed\":" + v), count.map(v -> "\"failed\":" + v),
                Arbitraries.of("\"result\":{\"files\":3}", "\"result\":null", "\"unknown\":1", "\"RunId\":\"x\"",
                        "\"nested\":{\"runId\":\"x\"}"));
        // A valid event of a random kind, then up to three changes: a field added (maybe again, maybe of the wrong
        // type), one dropped; most stay valid or nearly so, which is where the two reads could differ.
        Arbitrary<List<String>> valid = Combinators.combine(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8),
                Arbitraries.of(ProgressKind.class), Arbitraries.of("\"2026-12-05T01:02:03Z\"",
                        "\"2026-12-05T01:02:03.123456Z\""), Arbitraries.longs().between(0, 20),
                Arbitraries.longs().between(0, 5)).as((runId, k, t, total, done) -> {
                    List<String> all = new ArrayList<>(List.of("\"runId\":" + quoted(runId), "\"kind\":" + quoted(k.name()),
                            "\"at\":" + t));
                    if (k.aboutStage()) {
                        all.add("\"stage\":\"scan\"");
                        all.add("\"total\":" + (total + done));
                        all.add(k == ProgressKind.PROGRESS ? "\"increment\":" + done : "\"completed\":" + done);
                    }
                    return all;
                });
        Arbitrary<List<String>> fields = Combinators.combine(valid, field.list().ofMaxSize(3),
                Arbitraries.integers().between(0, 12)).as((must, extra, drop) -> {
                    List<String> all = new ArrayList<>(must);
                    if (drop < all.size() && drop < 3) {
                        all.remove((int) drop);
                    }
                    all.addAll(extra);
                    return all;
                });
        return Combinators.combine(fields.flatMap(list -> Arbitraries.shuffle(list)),
                Arbitraries.of("", "", "", "", "", " ", "\n", " x", "}", "{}", "\u00e9")).as((list, tail) ->
                "{" + String.join(",", list) + "}" + tail);
    }

    private static String quoted(String value) {
        return "\"" + value + "\"";
    }
}
