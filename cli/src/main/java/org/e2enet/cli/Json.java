package org.e2enet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.e2enet.core.io.JsonDocuments;

/** The command line's JSON output: e2enet's one mapper ({@link JsonDocuments}), pretty printed. */
final class Json {
    static final ObjectMapper MAPPER = JsonDocuments.mapper();

    private Json() {
    }

    /** {@code value} as pretty JSON. */
    static String write(Object value) {
        return JsonDocuments.toJson(value);
    }
}
