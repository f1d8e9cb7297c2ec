package org.e2enet.devices;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.onnx.ExportReport;
import org.e2enet.core.io.JsonDocuments;

/**
 * A machine's device profile ({@code e2enet devices --save}, format {@value #FORMAT}): its discovery and, when
 * measured there, the exporter's cost-model constants, so that {@code e2enet export --device-profile} chooses
 * lowerings for that machine.
 *
 * @param format {@value #FORMAT}
 * @param machine what discovery found
 * @param costModel the constants measured on the machine, or null when it was saved without {@code --measure}
 * @param measuredThreads the intra-op threads they were measured with, or 0
 * @param int8SpeedFactor FP32 over explicit-INT8 time of the measurement conv (below 1: INT8 is slower here), or null unmeasured
 */
public record DeviceProfile(String format, Machine machine, ExportReport.CostConstants costModel, int measuredThreads, Double int8SpeedFactor) {
    /** The format tag. */
    public static final String FORMAT = "e2enet-device/1";

    /** The JSON text. */
    public String toJson() {
        return JsonDocuments.toJson(this);
    }

    /** Writes the profile atomically. */
    public void write(Path file) throws IOException {
        JsonDocuments.write(file, this);
    }

    /** The measured constants of the profile in {@code file}; a profile without them, or anything else, is bad input naming the file. */
    public static ExportReport.CostConstants costModelOf(Path file) {
        JsonNode c = JsonDocuments.readTree(file, FORMAT, "device profile").get("costModel");
        if (c == null || c.isNull()) {
            throw BadInputException.of(file, "has no measured cost-model constants: save it with 'e2enet devices --save FILE --measure' on the "
                    + "target machine");
        }
        ExportReport.CostConstants k = JsonDocuments.value(c, ExportReport.CostConstants.class, file + ": device profile costModel");
        if (!(k.convFlopsPerMs() > 0 && k.gatherElementsPerMs() > 0 && k.groupedEfficiency() > 0 && k.groupedEfficiency() <= 1.5)) {
            throw BadInputException.of(file, "cost-model constants out of range (conv " + k.convFlopsPerMs() + " FLOP/ms, gather "
                    + k.gatherElementsPerMs() + " elements/ms, grouped efficiency " + k.groupedEfficiency() + ")");
        }
        return k;
    }
}
