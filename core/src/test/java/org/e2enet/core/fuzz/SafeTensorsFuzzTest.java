package org.e2enet.core.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.e2enet.core.safetensors.SafeTensors;

/** Fuzzes the safetensors reader (header length, JSON header, dtypes, offsets, byte counts). */
public class SafeTensorsFuzzTest {
    /** The entry point of a long run with Jazzer's own command line (see the README). */
    public static void fuzzerTestOneInput(byte[] input) throws Exception {
        FuzzProperty.check(input, "fuzz.safetensors", SafeTensors::read);
    }

    @FuzzTest(maxDuration = "10s")
    void anyBytesReadOrFailAsBadInput(byte[] input) throws Exception {
        fuzzerTestOneInput(input);
    }
}
