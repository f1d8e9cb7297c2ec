package org.e2enet.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * The one owner of e2enet's JSON documents (export reports, deployment and device profiles, calibration reports,
 * bundle manifests, plans): one configured mapper, atomic writes, and reads that check the document's {@code format}
 * tag and turn every failure into a one-line {@link BadInputException} naming the file and the field.
 */
public final class JsonDocuments {
    /**
     * Indented output; unknown fields ignored on reading, so that a document written by a later version with a field
     * added still reads.
     */
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** For documents a person writes by hand (specs, plans), where a misspelt field must be refused, not ignored. */
    private static final ObjectMapper STRICT = MAPPER.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);
    /** One line, for values stored inside other files (ONNX metadata). */
    private static final ObjectMapper COMPACT = MAPPER.copy().disable(SerializationFeature.INDENT_OUTPUT);

    private JsonDocuments() {
    }

    /** @return the shared mapper (indented, lenient on unknown fields) */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** @return the shared strict mapper: unknown fields, missing creator properties and null primitives refused */
    public static ObjectMapper strict() {
        return STRICT;
    }

    /**
     * @param value a record or map of plain values
     * @return it as indented JSON
     * @throws IllegalStateException when it cannot be serialised (a programming error, not input)
     */
    public static String toJson(Object value) {
        return write(MAPPER, value);
    }

    /**
     * @param value a record or map of plain values
     * @return it as JSON on one line (for values stored inside other files)
     */
    public static String toCompactJson(Object value) {
        return write(COMPACT, value);
    }

    private static String write(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Writes {@code value} as indented JSON with a final newline, atomically (a temporary file renamed over {@code file}).
     *
     * @param file the document
     * @param value what it holds
     * @throws IOException when the file cannot be written
     */
    public static void write(Path file, Object value) throws IOException {
        AtomicFiles.writeString(file, toJson(value) + "\n");
    }

    /**
     * Reads a JSON object and checks its {@code format} tag.
     *
     * @param file the document
     * @param format the tag its {@code format} field must hold, or null for documents without one
     * @param what what the document is, for messages ("deployment profile")
     * @return its tree
     * @throws BadInputException naming the file: unreadable, not JSON, not an object, or another format
     */
    public static JsonNode readTree(Path file, String format, String what) {
        JsonNode root;
        try {
            root = MAPPER.readTree(InputFiles.readString(file));
        } catch (JsonProcessingException e) {
            throw BadInputException.of(file, "not a " + what + " (malformed JSON: " + firstLine(e.getOriginalMessage()) + ")");
        } catch (IOException e) {
            throw BadInputException.of(file, "cannot read the " + what + " (" + firstLine(e.getMessage()) + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw BadInputException.of(file, "not a " + what + " (not a JSON object)");
        }
        if (format != null) {
            JsonNode tag = root.get("format");
            if (tag == null || !format.equals(tag.asText())) {
                throw BadInputException.of(file, "unsupported " + what + " format " + (tag == null ? "(none)" : "'" + tag.asText() + "'")
                        + " (expected " + format + ")");
            }
        }
        return root;
    }

    /**
     * Reads a document into {@code type} after checking its format tag.
     *
     * @param file the document
     * @param type the record it holds
     * @param format the tag its {@code format} field must hold, or null for documents without one
     * @param what what the document is, for messages
     * @param <T> the record
     * @return the document
     * @throws BadInputException naming the file and, for a field of the wrong kind, the field
     */
    public static <T> T read(Path file, Class<T> type, String format, String what) {
        return value(readTree(file, format, what), type, file + ": " + what);
    }

    /**
     * Maps a tree (a document or a section of one) into {@code type}.
     *
     * @param node the tree
     * @param type the record it holds
     * @param source names the document in messages (a file, or a file and a section)
     * @param <T> the record
     * @return the value
     * @throws BadInputException naming {@code source} and the field at fault
     */
    public static <T> T value(JsonNode node, Class<T> type, String source) {
        try {
            T v = MAPPER.treeToValue(node, type);
            if (v == null) {
                throw new BadInputException(source + ": empty");
            }
            return v;
        } catch (JsonProcessingException e) {
            throw new BadInputException(source + problem(e), e);
        } catch (IllegalArgumentException e) {
            // a record's own validation, reached through its constructor
            throw new BadInputException(source + ": " + firstLine(e.getMessage()), e);
        }
    }

    /**
     * Parses JSON held inside another file (ONNX metadata) into {@code type}.
     *
     * @param json the text
     * @param type the record it holds
     * @param source names it in messages ("model.onnx e2enet.calibration")
     * @param <T> the record
     * @return the value
     * @throws BadInputException naming {@code source} when the text is not JSON of {@code type}
     */
    public static <T> T parse(String json, Class<T> type, String source) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new BadInputException(source + ": malformed JSON (" + firstLine(e.getOriginalMessage()) + ")", e);
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw new BadInputException(source + ": empty");
        }
        return value(node, type, source);
    }

    /** ": field 'a.b': what is wrong" for a mapping error, ": what is wrong" when no field is named. */
    private static String problem(JsonProcessingException e) {
        String field = e instanceof JsonMappingException m ? m.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[") : "";
        String why = firstLine(e.getOriginalMessage());
        return field.isEmpty() ? ": " + why : ": field '" + field + "': " + why;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
