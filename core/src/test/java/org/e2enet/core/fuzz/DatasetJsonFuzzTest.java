package org.e2enet.core.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.e2enet.core.dataset.DatasetDescriptor;

/** Fuzzes the reader of nnU-Net's dataset.json. */
public class DatasetJsonFuzzTest {
    /**
     * The target on its own, for long runs with Jazzer's command line ({@code bin/e2enet-fuzz}): a class without
     * {@code @FuzzTest}, so libFuzzer's own limits ({@code -runs}) apply.
     */
    public static final class Target {
        private Target() {
        }

        /** One input. */
        public static void fuzzerTestOneInput(byte[] input) throws Exception {
            FuzzProperty.check(input, "dataset.json", DatasetDescriptor::read);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void anyBytesReadOrFailAsBadInput(byte[] input) throws Exception {
        Target.fuzzerTestOneInput(input);
    }
}
