package org.e2enet.calibration;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.e2enet.runtime.Backend;
import org.e2enet.runtime.BackendOptions;
import org.e2enet.runtime.bench.OperatorProfile;

/**
 * One layer's time per tile on this machine's ONNX Runtime CPU, in FP32 and with its convolution in INT8, from
 * ONNX Runtime's own profiler (every node of the layer, its QuantizeLinear/DequantizeLinear nodes included).
 * On the project's AVX512-VNNI CPUs with ONNX Runtime 1.28, 3D integer convolutions won at low resolution and
 * many channels and lost at full resolution (see the calibration section of the README), so the choice is
 * measured per layer rather than assumed.
 *
 * @param layer the layer
 * @param node its convolution
 * @param fp32Ms FP32 milliseconds per tile
 * @param int8Ms INT8 milliseconds per tile
 * @param keptFp32 whether it stays FP32 because INT8 was not faster
 */
public record LayerTiming(String layer, String node, double fp32Ms, double int8Ms, boolean keptFp32) {
    /** Profile runs per model. */
    static final int RUNS = 10;

    /** Times every convolution of {@code convs} in both models and marks those whose INT8 layer is not faster. */
    static List<LayerTiming> compare(Path fp32, Path int8, List<String> convs, int threads) {
        OperatorProfile a = OperatorProfile.measure(fp32, Backend.ORT_CPU, BackendOptions.cpu(threads), RUNS);
        OperatorProfile b = OperatorProfile.measure(int8, Backend.ORT_CPU, BackendOptions.cpu(threads), RUNS);
        List<LayerTiming> out = new ArrayList<>();
        for (String conv : convs) {
            String layer = Calibration.layerOf(conv);
            double f = a.msPerLayer().getOrDefault(layer, 0.0);
            double q = b.msPerLayer().getOrDefault(layer, 0.0);
            out.add(new LayerTiming(layer, conv, f, q, q >= f));
        }
        return out;
    }
}
