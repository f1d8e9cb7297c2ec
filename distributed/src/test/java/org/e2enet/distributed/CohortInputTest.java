package org.e2enet.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.e2enet.core.io.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Case ids from a manifest become {@code {output}/{case}.nii.gz}: only file names are taken. */
class CohortInputTest {
    @TempDir
    Path dir;

    private Path manifest(String... ids) throws Exception {
        StringBuilder csv = new StringBuilder(CohortInput.CASE + "," + CohortInput.channelColumn(0) + "\n");
        for (String id : ids) {
            csv.append(id).append(",img.nii.gz\n");
        }
        return Files.writeString(dir.resolve("cases.csv"), csv.toString());
    }

    @Test
    void caseIdsThatNameAPathAreRefusedNamingTheRow() throws Exception {
        for (String bad : new String[] {"../x", "a/../../x", "a/b", ".hidden", "..", "a\\b", ""}) {
            Path m = manifest("case_001", bad);
            BadInputException e = assertThrows(BadInputException.class, () -> CohortInput.read(m.toString(), 1, null), bad);
            assertTrue(e.getMessage().contains("case 2, '" + bad + "', is not a case name"), e.getMessage());
        }
        assertEquals(List.of("case_001", "BraTS-GLI-00002-000", "liver.7"),
                CohortInput.read(manifest("case_001", "BraTS-GLI-00002-000", "liver.7").toString(), 1, null).stream().map(CohortCase::id).toList());
    }
}
