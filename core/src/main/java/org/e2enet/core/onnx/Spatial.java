package org.e2enet.core.onnx;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Whether an exported model's input has fixed or symbolic D, H, W ({@code e2enet export --spatial}), as the export report records it. */
public enum Spatial {
    /** D, H, W fixed to the spec's patch size. */
    FIXED,
    /** D, H, W symbolic. */
    DYNAMIC;

    /**
     * The name on the command line and in the export report (Jackson writes and reads the enum by it).
     *
     * @return {@code fixed} or {@code dynamic}
     */
    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
