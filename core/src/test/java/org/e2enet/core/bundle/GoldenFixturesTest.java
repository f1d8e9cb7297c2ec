package org.e2enet.core.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.safetensors.SafeTensors;
import org.e2enet.core.safetensors.Tensor;
import org.e2enet.core.volume.Shape3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoldenFixturesTest {
    @TempDir
    Path dir;

    @Test
    void patchesAndSegmentationsRoundTripUnderTheDocumentedNames() throws Exception {
        GoldenFixtures g = GoldenFixtures.of(List.of(
                GoldenFixtures.patch(new long[] {1, 1, 1, 2, 2}, new float[] {1, 2, 3, 4}, new long[] {1, 2, 1, 2, 2},
                        new float[] {5, 6, 7, 8, 9, 10, 11, 12})),
                Map.of("case_b", new GoldenFixtures.CaseLabels(new Shape3(1, 1, 2), new byte[] {0, 1}),
                        "case_a", new GoldenFixtures.CaseLabels(new Shape3(1, 2, 1), new byte[] {2, 0})));
        Path file = dir.resolve("golden.safetensors");
        g.toTensors().write(file);
        SafeTensors raw = SafeTensors.read(file);
        assertTrue(raw.tensors().keySet().containsAll(List.of("golden.input.0", "golden.logits.0", "golden.seg.case_a", "golden.seg.case_b")),
                raw.tensors().keySet().toString());
        GoldenFixtures back = GoldenFixtures.read(file);
        assertEquals(1, back.patches().size());
        assertArrayEquals(new float[] {5, 6, 7, 8, 9, 10, 11, 12}, back.patches().get(0).logits().floats());
        assertEquals(List.of("case_a", "case_b"), List.copyOf(back.segmentations().keySet()));
        assertEquals(new Shape3(1, 2, 1), back.segmentations().get("case_a").shape());
        assertArrayEquals(new byte[] {2, 0}, back.segmentations().get("case_a").labels());
    }

    @Test
    void anInputWithoutItsLogitsIsBadInputNamingTheTensor() throws Exception {
        Path file = dir.resolve("golden.safetensors");
        SafeTensors.of(List.of(Tensor.ofFloats("golden.input.0", new long[] {1, 1, 1, 1, 1}, new float[] {1}))).write(file);
        BadInputException e = assertThrows(BadInputException.class, () -> GoldenFixtures.read(file));
        assertTrue(e.getMessage().contains("golden.logits.0") && e.getMessage().contains(file.toString()), e.getMessage());
    }
}
