package org.e2enet.core.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.e2enet.core.onnx.E2eNetOnnx;

/** Fuzzes the ONNX reader: protobuf, the e2enet metadata (spec, plans, digests) and the graph analysis 'info' runs. */
public class OnnxMetadataFuzzTest {
    /**
     * The target on its own, for long runs with Jazzer's command line ({@code bin/e2enet-fuzz}): a class without
     * {@code @FuzzTest}, so libFuzzer's own limits ({@code -runs}) apply.
     */
    public static final class Target {
        private Target() {
        }

        /** One input. */
        public static void fuzzerTestOneInput(byte[] input) throws Exception {
            FuzzProperty.check(input, "fuzz.onnx", file -> {
                E2eNetOnnx onnx = E2eNetOnnx.read(file);
                onnx.statsAtPatch();
            });
        }
    }

    @FuzzTest(maxDuration = "10s")
    void anyBytesReadOrFailAsBadInput(byte[] input) throws Exception {
        Target.fuzzerTestOneInput(input);
    }
}
