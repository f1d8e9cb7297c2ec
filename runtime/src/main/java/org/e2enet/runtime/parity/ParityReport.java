package org.e2enet.runtime.parity;

import java.util.List;
import org.e2enet.core.onnx.WeightIdentity;

/**
 * The parity checks (docs/architecture.md#parity) between the training model (through its golden fixtures) and the exported
 * model run by the runtime.
 *
 * @param passed every check passed
 * @param precision the model's precision (fp32, fp16, int8)
 * @param tolerance the limits applied
 * @param identity the weight-digest check
 * @param fixtures golden patches compared
 * @param maxAbsDiff largest |logits - golden|
 * @param meanAbsDiff mean |logits - golden|
 * @param scale m = max(1, max |golden|)
 * @param argmaxAgreement fraction of voxels whose argmax agrees
 * @param dicePerClass Dice between the two argmax maps per foreground class (NaN when absent from both)
 * @param graphTrueFlops FLOPs counted from the graph at the patch size
 * @param expectedTrueFlops the export report's FLOPs for the lowering (0 when no report was found)
 * @param flopsCheckNotRun why the FLOPs check could not run (no export report beside the model), or null when it ran
 * @param failures what failed, one line each
 */
public record ParityReport(boolean passed, String precision, ParityTolerance tolerance, WeightIdentity identity, int fixtures, double maxAbsDiff, double meanAbsDiff, double scale, double argmaxAgreement,
                           double[] dicePerClass, long graphTrueFlops, long expectedTrueFlops, String flopsCheckNotRun,
                           List<String> failures) {
}
