package org.e2enet.core.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.e2enet.core.dataset.Dataset;
import org.e2enet.core.metrics.ClassMetrics;
import org.e2enet.core.metrics.SegmentationMetrics;
import org.e2enet.core.nifti.NiftiReader;
import org.e2enet.core.progress.ProgressListener;
import org.e2enet.core.synth.PhantomCase;
import org.e2enet.core.synth.PhantomGenerator;
import org.e2enet.core.synth.SyntheticDataset;
import org.e2enet.core.testing.MricronData;
import org.e2enet.core.volume.Geometry;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.volume.Spacing3;
import org.e2enet.core.volume.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessingTest {
    @TempDir
    Path dir;

    private static Plans plans(double[] target, NormalizationScheme scheme) {
        return new Plans(Plans.FORMAT, "t", List.of("x"), List.of("background", "a", "b", "c"), target, target,
                new double[] {1, 1, 1}, new int[] {1, 1, 1}, true, 3, 3, 1, 0,
                List.of(new ChannelNormalization(scheme, false, 100, 50, -50, 300)));
    }

    private static byte[] labels(Volume v) {
        byte[] out = new byte[v.shape().voxelsInt()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) v.value(0, i);
        }
        return out;
    }

    private static void assertRoundTrip(CaseInput in, Plans plans, int classes, double minDice) {
        CasePreprocessor pre = new CasePreprocessor(plans);
        PreprocessedCase p = pre.forward(in);
        assertArrayEquals(p.properties().shapeAfterResampling(), p.geometry().shape().toArray());
        Volume back = pre.inverseLabels(p.label(), p.properties());
        assertEquals(in.geometry().shape(), back.shape());
        assertEquals(in.geometry().affine(), back.geometry().affine(), "the inverse restores the input's exact affine");
        assertEquals(in.geometry().spacing(), back.spacing());
        List<ClassMetrics> m = SegmentationMetrics.compute(labels(back), in.label(), back.shape(), back.spacing(), classes, 1);
        for (ClassMetrics c : m) {
            assertTrue(c.dice() >= minDice, "class " + c.label() + " Dice after forward+inverse: " + c.dice());
        }
        // the preprocessed grid sits where the input was: a labelled voxel's world position is preserved
        double[] worldIn = centroid(in.label(), in.geometry(), 1);
        double[] worldPre = centroid(p.label(), p.geometry(), 1);
        for (int a = 0; a < 3; a++) {
            assertEquals(worldIn[a], worldPre[a], 0.5 * Math.max(in.geometry().spacing().d(), p.geometry().spacing().d()),
                    "centroid of label 1, world axis " + a);
        }
    }

    private static double[] centroid(byte[] seg, Geometry g, int label) {
        Shape3 s = g.shape();
        double[] sum = new double[3];
        long n = 0;
        for (int z = 0; z < s.d(); z++) {
            for (int y = 0; y < s.h(); y++) {
                for (int x = 0; x < s.w(); x++) {
                    if (seg[s.index(z, y, x)] == label) {
                        double[] w = g.affine().apply(x, y, z);
                        for (int a = 0; a < 3; a++) {
                            sum[a] += w[a];
                        }
                        n++;
                    }
                }
            }
        }
        return new double[] {sum[0] / n, sum[1] / n, sum[2] / n};
    }

    @Test
    void phantomForwardInverseRoundTrip() {
        PhantomCase c = new PhantomGenerator(new Shape3(24, 48, 48), 3).generate(5, 0);
        CaseInput in = CaseInput.of("p", List.of(c.image()));
        in = new CaseInput("p", in.channels(), labels(c.label()), in.geometry());
        assertRoundTrip(in, plans(new double[] {1.5, 1.2, 1.2}, NormalizationScheme.CT), 4, 0.85);
    }

    @Test
    void anisotropicPhantomUsesSeparateAxisAndRoundTrips() {
        PhantomCase c = new PhantomGenerator(new Shape3(16, 48, 48), 3).generate(9, 1);
        Geometry g = c.image().geometry();
        Geometry thick = new Geometry(g.shape(), new Spacing3(4.0, 0.8, 0.8), g.affine().subGrid(new double[3],
                new double[] {0.8 / g.spacing().w(), 0.8 / g.spacing().h(), 4.0 / g.spacing().d()}), 1, 1, null);
        assertEquals(0, Resampler.separateAxis(thick.spacing(), Spacing3.of(new double[] {2, 0.8, 0.8})));
        CaseInput in = new CaseInput("a", new float[][] {c.image().floats(0)}, labels(c.label()), thick);
        assertRoundTrip(in, plans(new double[] {2.0, 0.8, 0.8}, NormalizationScheme.CT), 4, 0.85);
    }

    @Test
    void preprocessingAppliesThePlansOrdersAndAnisotropyThreshold() {
        PhantomCase c = new PhantomGenerator(new Shape3(16, 48, 48), 3).generate(9, 1);
        Geometry g = c.image().geometry();
        Geometry thick = new Geometry(g.shape(), new Spacing3(4.0, 0.8, 0.8), g.affine().subGrid(new double[3],
                new double[] {0.8 / g.spacing().w(), 0.8 / g.spacing().h(), 4.0 / g.spacing().d()}), 1, 1, null);
        double[] target = {2.0, 0.7, 0.7};
        Plans nnunet = plans(target, NormalizationScheme.CT);
        PreprocessedCase reference = new CasePreprocessor(nnunet).forward(new CaseInput("a", new float[][] {c.image().floats(0)},
                labels(c.label()), thick));
        // the same case under plans that say otherwise must come out otherwise, field by field
        Plans linearAcross = withOrders(nnunet, nnunet.anisotropyThreshold(), nnunet.dataOrder(), nnunet.segOrder(), 1);
        Plans noSeparateAxis = withOrders(nnunet, 100, nnunet.dataOrder(), nnunet.segOrder(), nnunet.separateAxisOrder());
        Plans linearData = withOrders(nnunet, nnunet.anisotropyThreshold(), 1, nnunet.segOrder(), nnunet.separateAxisOrder());
        Plans nearestSeg = withOrders(nnunet, nnunet.anisotropyThreshold(), nnunet.dataOrder(), 0, nnunet.separateAxisOrder());
        for (Plans other : List.of(linearAcross, noSeparateAxis, linearData, nearestSeg)) {
            PreprocessedCase o = new CasePreprocessor(other).forward(new CaseInput("a", new float[][] {c.image().floats(0)},
                    labels(c.label()), thick));
            boolean dataDiffers = !java.util.Arrays.equals(reference.channels()[0], o.channels()[0]);
            boolean segDiffers = !java.util.Arrays.equals(reference.label(), o.label());
            assertTrue(other == nearestSeg ? segDiffers && !dataDiffers : dataDiffers, "plans " + other.anisotropyThreshold() + "/"
                    + other.dataOrder() + "/" + other.segOrder() + "/" + other.separateAxisOrder() + " must change the result");
        }
    }

    private static Plans withOrders(Plans p, double threshold, int dataOrder, int segOrder, int separateOrder) {
        return new Plans(p.format(), p.datasetName(), p.channelNames(), p.classNames(), p.targetSpacing(), p.medianSpacing(),
                p.medianShapeAfterCrop(), p.medianShapeAfterResampling(), p.cropToNonzero(), threshold, dataOrder, segOrder,
                separateOrder, p.normalization());
    }

    @Test
    void cropsToTheNonzeroRegionAndZscoresInsideIt() {
        Shape3 s = new Shape3(10, 20, 20);
        float[] img = new float[s.voxelsInt()];
        byte[] lab = new byte[s.voxelsInt()];
        for (int z = 2; z < 8; z++) {
            for (int y = 5; y < 15; y++) {
                for (int x = 3; x < 17; x++) {
                    img[s.index(z, y, x)] = 100 + x;
                    lab[s.index(z, y, x)] = (byte) (x > 10 ? 1 : 0);
                }
            }
        }
        Plans p = new Plans(Plans.FORMAT, "t", List.of("MR"), List.of("background", "a"), new double[] {1, 1, 1},
                new double[] {1, 1, 1}, new double[] {1, 1, 1}, new int[] {1, 1, 1}, true, 3, 3, 1, 0,
                List.of(new ChannelNormalization(NormalizationScheme.ZSCORE, true, 0, 1, 0, 0)));
        PreprocessedCase out = new CasePreprocessor(p).forward(new CaseInput("c", new float[][] {img}, lab, Geometry.of(s, new Spacing3(1, 1, 1))));
        assertArrayEquals(new int[] {2, 5, 3}, out.properties().cropLo());
        assertArrayEquals(new int[] {8, 15, 17}, out.properties().cropHi());
        double mean = 0;
        for (float v : out.channels()[0]) {
            mean += v;
        }
        assertEquals(0, mean / out.channels()[0].length, 1e-5);
        Volume back = new CasePreprocessor(p).inverseLabels(out.label(), out.properties());
        assertArrayEquals(lab, labels(back));
    }

    @Test
    void targetSpacingFollowsNnUnetsAnisotropicRule() {
        // isotropic-ish: plain median
        assertArrayEquals(new double[] {2, 1, 1}, Planner.targetSpacing(
                List.of(new double[] {2, 1, 1}, new double[] {2, 1, 1}, new double[] {3, 1, 1}),
                List.of(new int[] {50, 200, 200}, new int[] {50, 200, 200}, new int[] {50, 200, 200})), 1e-12);
        // thick slices and few of them: the 10th percentile of the thick axis
        double[] t = Planner.targetSpacing(
                List.of(new double[] {5, 0.8, 0.8}, new double[] {4, 0.8, 0.8}, new double[] {6, 0.8, 0.8}),
                List.of(new int[] {40, 512, 512}, new int[] {50, 512, 512}, new int[] {30, 512, 512}));
        assertEquals(4.2, t[0], 1e-9);
        assertEquals(0.8, t[1], 1e-12);
    }

    @Test
    void datasetPreprocessingPoolsCtStatisticsAndWritesReadableCases() throws Exception {
        Path raw = dir.resolve("raw");
        SyntheticDataset.of(3, new Shape3(16, 32, 32)).seed(11).write(raw);
        Path out = dir.resolve("pre");
        Plans plans = DatasetPreprocessor.run(Dataset.open(raw), out, null, false, ProgressListener.NONE);
        assertEquals(plans.toJson(), Plans.read(out.resolve("plans.json")).toJson());
        ChannelNormalization n = plans.normalization().get(0);
        assertEquals(NormalizationScheme.CT, n.scheme());
        // foreground of the phantoms is organ (~120 HU), vessel (~300), lesion (~210): pooled stats span them
        assertTrue(n.lower() < 90 && n.upper() > 200, n.toString());
        Volume img = NiftiReader.read(out.resolve("cases/phantom_000_0000.nii.gz"));
        Volume lab = NiftiReader.read(out.resolve("cases/phantom_000.nii.gz"));
        assertEquals(img.shape(), lab.shape());
        assertTrue(Files.isRegularFile(out.resolve("cases/phantom_000.json")));
        double max = 0;
        for (int i = 0; i < img.shape().voxelsInt(); i++) {
            max = Math.max(max, Math.abs(img.value(0, i)));
        }
        assertTrue(max < 20, "CT-normalised values are clipped and z-scored: " + max);
    }

    @Test
    void realMriAtlasRoundTripsThroughPreprocessing() {
        assumeTrue(MricronData.installed(), "Debian's mricron-data is not installed (.ci/run installs it)");
        Volume t1 = NiftiReader.read(MricronData.file("inia19-t1-brain.nii.gz"));
        Volume atlas = NiftiReader.read(MricronData.file("inia19-NeuroMaps.nii.gz"));
        byte[] coarse = new byte[atlas.shape().voxelsInt()];
        for (int i = 0; i < coarse.length; i++) {
            int v = (int) atlas.value(0, i);
            coarse[i] = (byte) (v == 0 ? 0 : 1 + v % 3); // three coarse pseudo-regions
        }
        CaseInput in = new CaseInput("inia19", new float[][] {t1.floats(0)}, coarse, t1.geometry());
        assertRoundTrip(in, plans(new double[] {0.8, 0.8, 0.8}, NormalizationScheme.ZSCORE), 4, 0.6);
    }

    @Test
    void channelFilesOnDifferentGridsInSpaceAreRefusedNamingTheFile() throws Exception {
        Shape3 shape = new Shape3(8, 16, 16);
        Volume image = new PhantomGenerator(shape, 3).generate(1, 0).image();
        Path t1 = dir.resolve("case_0000.nii.gz");
        Path t2 = dir.resolve("case_0001.nii.gz");
        org.e2enet.core.nifti.NiftiWriter.standard().write(image.withGeometry(Geometry.of(shape, new Spacing3(3, 1, 1))), t1);
        org.e2enet.core.nifti.NiftiWriter.standard().write(image.withGeometry(Geometry.of(shape, new Spacing3(3, 1.2, 1.2))), t2);
        org.e2enet.core.io.BadInputException e = org.junit.jupiter.api.Assertions.assertThrows(org.e2enet.core.io.BadInputException.class,
                () -> CaseInput.readChannels(List.of(t1, t2)));
        assertTrue(e.getMessage().startsWith(t2.toString()) && e.getMessage().contains("another grid in space"), e.getMessage());
        assertEquals(2, CaseInput.readChannels(List.of(t1, t1)).size(), "one grid: read");
    }
}
