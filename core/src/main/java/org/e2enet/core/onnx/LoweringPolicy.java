package org.e2enet.core.onnx;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How the exporter lowers masked layers ({@code e2enet export --lowering}), as the export report records it. */
public enum LoweringPolicy {
    /** physically smaller convolutions, chosen per layer by the cost model. */
    AUTO,
    /** dense convolutions with zeros. */
    DENSE;

    /**
     * The name on the command line and in the export report (Jackson writes and reads the enum by it).
     *
     * @return {@code auto} or {@code dense}
     */
    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
