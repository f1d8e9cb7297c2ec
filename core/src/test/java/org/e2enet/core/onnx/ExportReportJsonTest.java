package org.e2enet.core.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The export report's modes are enums in code and the same strings in the file, so reports written before still read. */
class ExportReportJsonTest {
    @Test
    void modesAreWrittenAndReadByTheirLabels(@TempDir Path dir) throws Exception {
        LayerExport layer = new LayerExport("loc0.0.0.blocks.0.conv.weight", "fusion_conv", Lowering.GATHER, "cheapest", Map.of("gather", 1.5),
                4, 2, 10, 100);
        ExportReport r = new ExportReport(ExportReport.FORMAT, "m.onnx", "bundle", LoweringPolicy.AUTO, Spatial.DYNAMIC, new int[] {8, 8, 8},
                1, 2, 3, 4, 5, 6, 7, new ExportReport.CostConstants(1, 2, 0.5), List.of(layer), null);
        Path file = dir.resolve("m.export.json");
        r.write(file);
        String json = Files.readString(file);
        assertTrue(json.contains("\"lowering\" : \"auto\"") && json.contains("\"spatial\" : \"dynamic\""), json);
        assertTrue(json.contains("\"lowering\" : \"GATHER\"") && json.contains("\"gather\" : 1.5"), json);
        ExportReport back = ExportReport.read(file);
        assertEquals(LoweringPolicy.AUTO, back.lowering());
        assertEquals(Spatial.DYNAMIC, back.spatial());
    }

    @Test
    void aReportWrittenWithStringModesStillReads(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("old.export.json"),
                "{\"format\": \"e2enet-export/1\", \"model\": \"m.onnx\", \"lowering\": \"dense\", \"spatial\": \"fixed\", \"layers\": []}");
        ExportReport r = ExportReport.read(file);
        assertEquals(LoweringPolicy.DENSE, r.lowering());
        assertEquals(Spatial.FIXED, r.spatial());
    }
}
