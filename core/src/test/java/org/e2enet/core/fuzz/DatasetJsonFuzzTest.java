package org.e2enet.core.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.e2enet.core.dataset.DatasetDescriptor;

/** Fuzzes the reader of nnU-Net's dataset.json. */
public class DatasetJsonFuzzTest {
    /** The entry point of a long run with Jazzer's own command line (see the README). */
    public static void fuzzerTestOneInput(byte[] input) throws Exception {
        FuzzProperty.check(input, "dataset.json", DatasetDescriptor::read);
    }

    @FuzzTest(maxDuration = "10s")
    void anyBytesReadOrFailAsBadInput(byte[] input) throws Exception {
        fuzzerTestOneInput(input);
    }
}
