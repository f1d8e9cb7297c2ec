package org.e2enet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.e2enet.core.onnx.CalibrationMetadata;
import org.e2enet.core.onnx.E2eNetOnnx;
import org.e2enet.core.onnx.ModelPrecision;
import org.e2enet.core.onnx.OnnxContract;
import org.e2enet.core.onnx.OnnxGraphStats;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.onnx.proto.OnnxMl;

/** What an exported E2ENet ONNX model holds: its spec, accounting, graph statistics and lowering summary. */
final class OnnxInfo {
    private OnnxInfo() {
    }

    static int print(Path file, boolean json, PrintWriter out) throws IOException {
        E2eNetOnnx onnx = E2eNetOnnx.read(file);
        OnnxMl.ModelProto model = onnx.model();
        ModelSpec spec = onnx.spec();
        int[] p = spec.patchSize();
        OnnxGraphStats stats = onnx.statsAtPatch();
        JsonNode accounting = Json.MAPPER.readTree(onnx.metadata().getOrDefault(OnnxContract.ACCOUNTING, "null"));
        Map<String, Long> ops = new java.util.TreeMap<>();
        model.getGraph().getNodeList().forEach(n -> ops.merge(n.getOpType(), 1L, Long::sum));
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("file", file.toString());
        o.put("irVersion", model.getIrVersion());
        o.put("opset", model.getOpsetImport(0).getVersion());
        o.put("spec", spec);
        o.put("accounting", accounting);
        o.put("graphTrueFlops", stats.trueFlops());
        o.put("graphParams", stats.storedParams());
        o.put("operators", ops);
        ModelPrecision precision = ModelPrecision.of(onnx);
        o.put("precision", precision.label());
        String calibrationJson = onnx.metadata().get(OnnxContract.CALIBRATION);
        CalibrationMetadata calibration = calibrationJson == null ? null
                : CalibrationMetadata.fromJson(calibrationJson, file + " " + OnnxContract.CALIBRATION);
        if (calibration != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("method", calibration.method());
            c.put("activations", calibration.activations());
            c.put("cases", calibration.cases().size());
            c.put("tiles", calibration.tiles());
            c.put("keptFp32", calibration.keptFp32());
            c.put("sourceSha256", calibration.sourceSha256());
            o.put("calibration", c);
        }
        if (json) {
            out.println(Json.write(o));
        } else {
            out.printf(Locale.ROOT, "%s: ONNX IR %d, opset %d, %d nodes%n", file, model.getIrVersion(), model.getOpsetImport(0).getVersion(),
                    model.getGraph().getNodeCount());
            out.printf(Locale.ROOT, "spec      P=%d pools, channels %d..%d, patch %s, shift groups %d, sparsity %.3f (%s), %d input(s), %d classes%n",
                    spec.pools(), spec.channels(0), spec.maxChannels(), java.util.Arrays.toString(p), spec.shiftGroups(), spec.sparsity(),
                    spec.granularity(), spec.inputChannels(), spec.numClasses());
            if (accounting != null && !accounting.isNull()) {
                out.printf(Locale.ROOT, "accounting params %d, paper FLOPs %.4f G, true FLOPs %.4f G (dense %.4f G)%n",
                        accounting.get("params").asLong(), accounting.get("paperFlops").asLong() / 1e9,
                        accounting.get("trueFlops").asLong() / 1e9, accounting.get("denseTrueFlops").asLong() / 1e9);
            }
            out.printf(Locale.ROOT, "graph     true FLOPs %.4f G per patch, %d parameters stored%n", stats.trueFlops() / 1e9, stats.storedParams());
            out.printf(Locale.ROOT, "operators %s%n", ops);
            out.printf(Locale.ROOT, "precision %s%s%n", precision.label(), calibration == null ? "" : String.format(Locale.ROOT,
                    " (calibrated: %s%s, %d tiles of %d cases, %d node(s) FP32, from FP32 model sha256 %s)", calibration.method(),
                    calibration.activations() == null ? "" : ", activations " + calibration.activations(), calibration.tiles(),
                    calibration.cases().size(), calibration.keptFp32().size(), calibration.sourceSha256().substring(0, 12)));
        }
        out.flush();
        return 0;
    }
}
