package io.cronstream.devstack;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The {@code $set} stage (MongoDB 4.2), which the stock server lacks, with MongoDB's semantics: a field given an
 * operator expression takes its value (replacing what was there, even an embedded document, which the stock
 * {@code $addFields} merges into instead), one given an object literal is set field by field, and one whose value is
 * missing ({@code $$REMOVE}, an absent field) is removed. Its expressions are the subset a change-stream pipeline
 * needs, {@code $bsonSize} (MongoDB 4.4) included, which the stock server cannot evaluate: field paths,
 * {@code $$ROOT}, {@code $$REMOVE}, literals, {@code $literal}, {@code $cond}, {@code $ifNull}, the comparisons
 * and {@code $bsonSize}. Anything else is refused as MongoDB refuses an unknown operator, so a connector pipeline
 * that works here uses nothing this server would get wrong.
 */
final class SetStage implements UnaryOperator<Document> {

    /** What an expression evaluates to when it names nothing: the field is left out. */
    private static final Object MISSING = new Object();
    private static final int INVALID_PIPELINE_OPERATOR = 168;
    private static final int BSON_SIZE_NOT_A_DOCUMENT = 31393;

    private final Document fields;

    SetStage(Object specification) {
        if (!(specification instanceof Document document) || document.isEmpty()) {
            throw new MongoServerError(40272, "$set specification must be a non-empty object");
        }
        this.fields = document;
    }

    @Override
    public Document apply(Document input) {
        Document output = input.clone();
        set(output, fields, input);
        return output;
    }

    /** Each field of {@code spec} into {@code target}; expressions see the stage's input document, {@code root}. */
    private static void set(Document target, Document spec, Document root) {
        for (Map.Entry<String, Object> field : spec.entrySet()) {
            String name = field.getKey();
            if (field.getValue() instanceof Document literal && !isOperator(literal)) {
                Document embedded = target.get(name) instanceof Document existing ? existing.clone() : new Document();
                set(embedded, literal, root);
                target.put(name, embedded);
                continue;
            }
            Object value = evaluate(field.getValue(), root);
            if (value == MISSING) {
                target.remove(name);
            } else {
                target.put(name, value);
            }
        }
    }

    static Object evaluate(Object expression, Document root) {
        if (expression instanceof String text && text.startsWith("$$")) {
            return switch (text) {
                case "$$ROOT" -> root;
                case "$$REMOVE" -> MISSING;
                default -> throw new MongoServerError(17276, "Use of undefined variable: " + text.substring(2));
            };
        }
        if (expression instanceof String text && text.startsWith("$")) {
            return path(root, text.substring(1));
        }
        if (expression instanceof Document document) {
            return isOperator(document) ? operator(document, root) : object(document, root);
        }
        if (expression instanceof List<?> list) {
            List<Object> values = new ArrayList<>(list.size());
            list.forEach(element -> {
                Object value = evaluate(element, root);
                values.add(value == MISSING ? null : value);
            });
            return values;
        }
        return expression;
    }

    private static boolean isOperator(Document document) {
        return document.size() == 1 && document.keySet().iterator().next().startsWith("$");
    }

    private static Document object(Document spec, Document root) {
        Document result = new Document();
        spec.forEach((name, expression) -> {
            Object value = evaluate(expression, root);
            if (value != MISSING) {
                result.put(name, value);
            }
        });
        return result;
    }

    private static Object operator(Document expression, Document root) {
        Map.Entry<String, Object> only = expression.entrySet().iterator().next();
        Object argument = only.getValue();
        return switch (only.getKey()) {
            case "$literal" -> argument;
            case "$cond" -> cond(argument, root);
            case "$ifNull" -> {
                List<?> args = arguments(only.getKey(), argument, 2);
                Object first = evaluate(args.get(0), root);
                yield first == MISSING || first == null ? evaluate(args.get(1), root) : first;
            }
            case "$gt" -> compare(only.getKey(), argument, root) > 0;
            case "$gte" -> compare(only.getKey(), argument, root) >= 0;
            case "$lt" -> compare(only.getKey(), argument, root) < 0;
            case "$lte" -> compare(only.getKey(), argument, root) <= 0;
            case "$eq" -> compare(only.getKey(), argument, root) == 0;
            case "$ne" -> compare(only.getKey(), argument, root) != 0;
            case "$bsonSize" -> bsonSize(evaluate(argument instanceof List<?> list && list.size() == 1 ? list.get(0)
                    : argument, root));
            default -> throw new MongoServerError(INVALID_PIPELINE_OPERATOR, "InvalidPipelineOperator",
                    "Unrecognized expression '" + only.getKey() + "' (the dev server's $set knows only the subset"
                            + " its Javadoc lists)");
        };
    }

    private static Object cond(Object argument, Document root) {
        Object condition;
        Object then;
        Object otherwise;
        if (argument instanceof Document named) {
            for (String part : List.of("if", "then", "else")) {
                if (!named.containsKey(part)) {
                    throw new MongoServerError(17080, "Missing '" + part + "' parameter to $cond");
                }
            }
            condition = named.get("if");
            then = named.get("then");
            otherwise = named.get("else");
        } else {
            List<?> args = arguments("$cond", argument, 3);
            condition = args.get(0);
            then = args.get(1);
            otherwise = args.get(2);
        }
        return truthy(evaluate(condition, root)) ? evaluate(then, root) : evaluate(otherwise, root);
    }

    private static boolean truthy(Object value) {
        if (value == MISSING || value == null || value instanceof Boolean b && !b) {
            return false;
        }
        return !(value instanceof Number number) || new BigDecimal(number.toString()).signum() != 0;
    }

    private static int compare(String operator, Object argument, Document root) {
        List<?> args = arguments(operator, argument, 2);
        return compareValues(evaluate(args.get(0), root), evaluate(args.get(1), root));
    }

    /** MongoDB's order across types (null and missing first, then numbers, strings, ...), then within a type. */
    private static int compareValues(Object left, Object right) {
        int byType = Integer.compare(typeRank(left), typeRank(right));
        if (byType != 0) {
            return byType;
        }
        if (left instanceof Number a && right instanceof Number b) {
            return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString()));
        }
        if (left instanceof String a && right instanceof String b) {
            return a.compareTo(b);
        }
        if (left instanceof Boolean a && right instanceof Boolean b) {
            return Boolean.compare(a, b);
        }
        if (left instanceof Instant a && right instanceof Instant b) {
            return a.compareTo(b);
        }
        return left == null || left.equals(right) ? 0 : 1;
    }

    private static int typeRank(Object value) {
        if (value == MISSING || value == null) {
            return 1;
        }
        if (value instanceof Number) {
            return 2;
        }
        if (value instanceof String) {
            return 3;
        }
        if (value instanceof Document) {
            return 4;
        }
        if (value instanceof List<?>) {
            return 5;
        }
        if (value instanceof ObjectId) {
            return 7;
        }
        if (value instanceof Boolean) {
            return 8;
        }
        if (value instanceof Instant || value instanceof Date) {
            return 9;
        }
        return 10;
    }

    /** The document's size as BSON, as this server writes it to a client; null for null or missing. */
    private static Object bsonSize(Object value) {
        if (value == MISSING || value == null) {
            return null;
        }
        if (!(value instanceof Document document)) {
            throw new MongoServerError(BSON_SIZE_NOT_A_DOCUMENT, "$bsonSize requires a document input, found: "
                    + value.getClass().getSimpleName());
        }
        ByteBuf buffer = Unpooled.buffer();
        try {
            BsonEncoder.encodeDocument(document, buffer);
            return buffer.readableBytes();
        } finally {
            buffer.release();
        }
    }

    private static List<?> arguments(String operator, Object argument, int count) {
        if (!(argument instanceof List<?> list) || list.size() != count) {
            throw new MongoServerError(16020, "Expression " + operator + " takes exactly " + count + " arguments");
        }
        return list;
    }

    private static Object path(Document document, String path) {
        Object current = document;
        for (String part : path.split("\\.", -1)) {
            if (!(current instanceof Document embedded) || !embedded.containsKey(part)) {
                return MISSING;
            }
            current = embedded.get(part);
        }
        return current;
    }
}
