package org.e2enet.devices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import org.e2enet.core.io.AtomicFiles;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.io.InputFiles;
import org.e2enet.core.onnx.ExportReport;

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
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The JSON text. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the profile atomically. */
    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, toJson() + "\n");
    }

    /** The measured constants of the profile in {@code file}; a profile without them, or anything else, is bad input naming the file. */
    public static ExportReport.CostConstants costModelOf(Path file) {
        JsonNode n;
        try {
            n = JSON.readTree(InputFiles.readString(file));
        } catch (IOException e) {
            throw BadInputException.of(file, "not a device profile (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (n == null || !FORMAT.equals(n.path("format").asText())) {
            throw BadInputException.of(file, "not a device profile (format " + FORMAT + " expected)");
        }
        JsonNode c = n.path("costModel");
        double conv = c.path("convFlopsPerMs").asDouble(0);
        double gather = c.path("gatherElementsPerMs").asDouble(0);
        double grouped = c.path("groupedEfficiency").asDouble(0);
        if (c.isMissingNode() || c.isNull()) {
            throw BadInputException.of(file, "has no measured cost-model constants: save it with 'e2enet devices --save FILE --measure' on the "
                    + "target machine");
        }
        if (!(conv > 0 && gather > 0 && grouped > 0 && grouped <= 1.5)) {
            throw BadInputException.of(file, "cost-model constants out of range (conv " + conv + " FLOP/ms, gather " + gather
                    + " elements/ms, grouped efficiency " + grouped + ")");
        }
        return new ExportReport.CostConstants(conv, gather, grouped);
    }
}
