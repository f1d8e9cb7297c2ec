package org.e2enet.devices;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.e2enet.core.io.Sha256;
import org.e2enet.core.onnx.E2eNetOnnx;
import org.e2enet.core.onnx.ModelPrecision;
import org.e2enet.core.onnx.OnnxContract;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.io.JsonDocuments;

/** Exported models as planner variants: their digest, precision and whether their accuracy gate lets them be deployed. */
public final class ModelVariants {
    private ModelVariants() {
    }

    /**
     * The variant of {@code model}: FP32 (no {@value OnnxContract#PRECISION} metadata) may always be deployed; a
     * reduced-precision model only when its calibration report beside it says {@code "passed": true}.
     */
    public static DeploymentPlanner.Variant of(Path model) {
        E2eNetOnnx onnx = E2eNetOnnx.read(model);
        ModelPrecision precision = ModelPrecision.of(onnx);
        return new DeploymentPlanner.Variant(model.toString(), Sha256.of(model), precision.label(), precision.reduced() ? gate(model) : null);
    }

    private static String gate(Path model) {
        Path report = OnnxContract.besideModel(model, OnnxContract.CALIBRATION_REPORT_SUFFIX);
        if (!Files.isRegularFile(report)) {
            return "no calibration report " + report.getFileName() + " beside it: its accuracy gate is unknown";
        }
        JsonNode passed;
        try {
            passed = JsonDocuments.readTree(report, OnnxContract.CALIBRATION_REPORT_FORMAT, "calibration report").get("passed");
        } catch (BadInputException e) {
            return "calibration report unusable: " + e.problem();
        }
        if (passed == null || !passed.isBoolean()) {
            return "calibration report " + report.getFileName() + " has no boolean 'passed': its accuracy gate is unknown";
        }
        return passed.booleanValue() ? null : "calibration gate failed (" + report.getFileName() + ")";
    }
}
