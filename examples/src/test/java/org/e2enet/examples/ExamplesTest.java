package org.e2enet.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.e2enet.core.dataset.Dataset;
import org.e2enet.core.nifti.NiftiReader;
import org.e2enet.core.preprocess.ChannelNormalization;
import org.e2enet.core.preprocess.NormalizationScheme;
import org.e2enet.core.preprocess.Plans;
import org.e2enet.core.spec.DsffSettings;
import org.e2enet.core.spec.Granularity;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.synth.PhantomGenerator;
import org.e2enet.core.testing.MricronData;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.volume.Volume;
import org.e2enet.exporter.ExportOptions;
import org.e2enet.exporter.ModelExport;
import org.e2enet.exporter.RandomBundles;
import org.e2enet.runtime.Backend;
import org.e2enet.runtime.Segmenter;
import org.e2enet.runtime.SegmenterOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExamplesTest {
    @TempDir
    Path dir;

    @Test
    void segmentVolumePrintsEachClassVolumeInMillilitres() throws Exception {
        ModelSpec spec = new ModelSpec(1, 3, 4, 16, new int[][] {{2, 2, 2}, {2, 2, 2}}, 3, new int[] {16, 32, 32}, 0.6,
                Granularity.CHANNEL, DsffSettings.PAPER);
        Plans plans = new Plans(Plans.FORMAT, "test", List.of("CT"), List.of("background", "liver", "vessel"), new double[] {2, 1, 1},
                new double[] {2, 1, 1}, new double[] {16, 32, 32}, new int[] {16, 32, 32}, true, 3, 3, 1, 0,
                List.of(new ChannelNormalization(NormalizationScheme.CT, false, 100, 80, -100, 300)));
        Path onnx = dir.resolve("m.onnx");
        ModelExport.run(RandomBundles.write(spec, plans, dir, 2), onnx, ExportOptions.PRUNED, dir.resolve("m.json"));
        Path image = dir.resolve("case_0000.nii.gz");
        org.e2enet.core.nifti.NiftiWriter.standard().write(new PhantomGenerator(new Shape3(16, 32, 32), 2).generate(1, 0).image(), image);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            SegmentVolume.main(new String[] {onnx.toString(), image.toString()});
        } finally {
            System.setOut(old);
        }
        String[] lines = buf.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertEquals(2, lines.length, buf.toString(StandardCharsets.UTF_8));
        Volume labels;
        try (Segmenter s = Segmenter.open(onnx, Backend.ORT_CPU, 1, SegmenterOptions.defaults())) {
            labels = s.segment("case", List.of(NiftiReader.read(image))).labels();
        }
        double voxelMl = labels.geometry().spacing().voxelVolume() / 1000;
        for (int c = 1; c <= 2; c++) {
            long n = 0;
            for (int i = 0; i < labels.shape().voxelsInt(); i++) {
                n += labels.value(0, i) == c ? 1 : 0;
            }
            String[] cols = lines[c - 1].trim().split("\\s+");
            assertEquals(plans.classNames().get(c), cols[0]);
            assertEquals(n * voxelMl, Double.parseDouble(cols[1]), 0.006, lines[c - 1]);
        }
    }

    @Test
    void macaqueTaskSplitsTheHemispheresAndMergesRegionsByTissue() throws Exception {
        assumeTrue(MricronData.installed(), "Debian's mricron-data is not installed (.ci/run installs it)");
        Path out = dir.resolve("task");
        MacaqueAtlasTask.main(new String[] {MricronData.DIR.toString(), out.toString()});
        Dataset ds = Dataset.open(out);
        assertEquals(MacaqueAtlasTask.SLABS, ds.training().size());
        assertEquals(MacaqueAtlasTask.SLABS, ds.test().size());
        Volume t1 = NiftiReader.read(MricronData.file("inia19-t1-brain.nii.gz"));
        Volume right = NiftiReader.read(out.resolve("imagesTs/inia19_right1_0000.nii.gz"));
        Volume labels = NiftiReader.read(out.resolve("labelsTs/inia19_right1.nii.gz"));
        Shape3 s = t1.shape();
        assertEquals(new Shape3(s.d(), s.h() * 2 / 3 - s.h() / 3, s.w() - s.w() / 2), right.shape());
        // the slab sits where it was cut from: its first voxel has the world position of voxel (w/2, h/3, 0)
        assertArrayEquals(t1.geometry().affine().apply(s.w() / 2, s.h() / 3, 0), right.geometry().affine().apply(0, 0, 0), 1e-4);
        double[] sum = new double[3];
        long[] n = new long[3];
        for (int i = 0; i < labels.shape().voxelsInt(); i++) {
            int c = (int) labels.value(0, i);
            sum[c] += right.value(0, i);
            n[c]++;
        }
        assertTrue(n[1] > 1000 && n[2] > 1000, "both tissue classes present");
        assertTrue(sum[1] / n[1] > MacaqueAtlasTask.WHITE_MATTER_T1 && sum[2] / n[2] < MacaqueAtlasTask.WHITE_MATTER_T1);
    }
}
