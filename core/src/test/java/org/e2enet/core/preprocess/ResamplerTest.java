package org.e2enet.core.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Random;
import org.e2enet.core.testing.DebianPython;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.volume.Spacing3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResamplerTest {
    /**
     * SciPy computes what skimage.transform.resize(order, mode='edge', anti_aliasing=False) computes:
     * map_coordinates at (o + 0.5) * in / out - 0.5 with mode 'nearest', clipped to the input's range.
     */
    private static final String SCIPY_RESIZE = String.join("\n",
            "import sys, json, numpy as np", "from scipy import ndimage as ndi",
            "a = np.array(json.loads(sys.argv[1]), dtype=np.float64).reshape(json.loads(sys.argv[2]))",
            "out = json.loads(sys.argv[3]); order = int(sys.argv[4])",
            "coords = [ (np.arange(o) + 0.5) * (i / o) - 0.5 for i, o in zip(a.shape, out)]",
            "grid = np.stack(np.meshgrid(*coords, indexing='ij'))",
            "r = ndi.map_coordinates(a, grid, order=order, mode='nearest')",
            "r = np.clip(r, a.min(), a.max())",
            "print(json.dumps(r.ravel().tolist()))");

    @ParameterizedTest(name = "{0} -> {1}, order {2}")
    @CsvSource({
        "5 7 9, 9 4 13, 3", "4 6 6, 8 12 12, 3", "6 10 8, 3 5 4, 3", "5 7 9, 9 4 13, 1",
        "6 10 8, 3 5 4, 1", "5 7 9, 10 14 18, 0", "6 10 8, 3 5 4, 0", "1 6 6, 3 6 6, 3",
    })
    void matchesScipyMapCoordinatesAsSkimageResizeUsesIt(String in, String out, int order) throws Exception {
        assumeTrue(DebianPython.has("scipy", "numpy"), "Debian's python3-scipy is not installed (.ci/run installs it)");
        Shape3 si = shape(in);
        Shape3 so = shape(out);
        Random rnd = new Random(7);
        float[] data = new float[si.voxelsInt()];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (100 * rnd.nextGaussian() + (i % 7) * 30);
        }
        float[] ours = Resampler.resize(data, si, so, order);
        JsonNode ref = new ObjectMapper().readTree(DebianPython.run(SCIPY_RESIZE, json(data),
                "[" + si.d() + "," + si.h() + "," + si.w() + "]", "[" + so.d() + "," + so.h() + "," + so.w() + "]",
                String.valueOf(order)));
        assertEquals(ref.size(), ours.length);
        for (int i = 0; i < ours.length; i++) {
            assertEquals(ref.get(i).asDouble(), ours[i], 1e-3 + 1e-5 * Math.abs(ours[i]), "voxel " + i);
        }
    }

    @Test
    void segmentationResizeKeepsLabelsAndShapes() {
        Shape3 in = new Shape3(8, 16, 16);
        byte[] seg = new byte[in.voxelsInt()];
        for (int z = 0; z < 8; z++) {
            for (int y = 4; y < 12; y++) {
                for (int x = 4; x < 12; x++) {
                    seg[in.index(z, y, x)] = (byte) (x < 8 ? 1 : 2);
                }
            }
        }
        Shape3 out = new Shape3(16, 32, 32);
        byte[] up = Resampler.resampleSeg(seg, in, out, -1);
        int[] counts = new int[3];
        for (byte b : up) {
            counts[b]++;
        }
        // each labelled block of 8*8*4 voxels becomes 16*16*8 voxels
        assertEquals(16 * 16 * 8, counts[1]);
        assertEquals(16 * 16 * 8, counts[2]);
        byte[] back = Resampler.resampleSeg(up, out, in, -1);
        assertArrayEquals(seg, back);
    }

    @Test
    void anisotropicSpacingResamplesTheThickAxisSeparatelyWithNearest() {
        Spacing3 thick = new Spacing3(5, 1, 1);
        assertEquals(0, Resampler.separateAxis(thick, new Spacing3(1, 1, 1)));
        assertEquals(-1, Resampler.separateAxis(new Spacing3(2, 1, 1), new Spacing3(1, 1, 1)));
        assertEquals(-1, Resampler.separateAxis(new Spacing3(4, 4, 1), new Spacing3(1, 1, 1)));
        Shape3 in = new Shape3(4, 6, 6);
        float[] data = new float[in.voxelsInt()];
        for (int i = 0; i < data.length; i++) {
            data[i] = i / 36; // constant per slice
        }
        Shape3 out = new Shape3(8, 6, 6);
        float[] r = Resampler.resampleData(data, in, out, 0, 3);
        // order 0 along d: every output slice copies one input slice exactly
        for (int z = 0; z < 8; z++) {
            assertEquals(Math.floor((z + 0.5) * 0.5 - 0.5 + 0.5), r[out.index(z, 3, 3)], 0);
        }
    }

    private static Shape3 shape(String s) {
        String[] p = s.trim().split("\\s+");
        return new Shape3(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
    }

    private static String json(float[] a) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) {
            sb.append(i > 0 ? "," : "").append(a[i]);
        }
        return sb.append("]").toString();
    }

    @Test
    void aTargetSpacingThatWouldMakeTheVolumeTooLargeIsBadInputNotACrash() {
        org.e2enet.core.io.BadInputException e = org.junit.jupiter.api.Assertions.assertThrows(org.e2enet.core.io.BadInputException.class,
                () -> Resampler.newShape(new Shape3(40, 80, 80), new Spacing3(2, 0.8, 0.8), new Spacing3(0.001, 0.001, 0.001)));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("coarser target spacing"), e.getMessage());
        assertEquals(new Shape3(80, 64, 64), Resampler.newShape(new Shape3(40, 80, 80), new Spacing3(2, 0.8, 0.8), new Spacing3(1, 1, 1)));
    }
}
