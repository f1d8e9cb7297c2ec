package org.e2enet.core.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.e2enet.core.nifti.NiftiReader;

/** Fuzzes the NIfTI reader (NIfTI-1 and -2, raw and gzipped: the reader tells them by their bytes). */
public class NiftiReaderFuzzTest {
    /** The entry point of a long run with Jazzer's own command line (see the README). */
    public static void fuzzerTestOneInput(byte[] input) throws Exception {
        FuzzProperty.check(input, "fuzz.nii.gz", NiftiReader::read);
    }

    @FuzzTest(maxDuration = "10s")
    void anyBytesReadOrFailAsBadInput(byte[] input) throws Exception {
        fuzzerTestOneInput(input);
    }
}
