package org.e2enet.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.e2enet.core.io.BackendUnavailableException;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.io.InvalidImageException;
import org.e2enet.core.io.ModelLoadException;
import org.e2enet.core.preprocess.CaseInput;
import org.e2enet.core.preprocess.CasePreprocessor;
import org.e2enet.core.preprocess.PreprocessedCase;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.synth.PhantomGenerator;
import org.e2enet.core.volume.Geometry;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.volume.Spacing3;
import org.e2enet.core.volume.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmenterTest {
    @TempDir
    Path dir;

    /** A CT-like phantom on a 1 mm grid (so preprocessing does not resample), non-zero everywhere (no crop). */
    static Volume phantom(Shape3 shape, long seed) {
        Volume v = new PhantomGenerator(shape, 3).generate(seed, 0).image();
        return v.withGeometry(Geometry.of(shape, new Spacing3(1, 1, 1)));
    }

    @Test
    void aFileWhoseQformDiffersFromItsSformKeepsBothThroughPredict() throws Exception {
        ModelSpec spec = RuntimeFixtures.spec(new int[] {16, 32, 32}, 3);
        Path onnx = RuntimeFixtures.export(spec, dir, 1);
        Volume image = phantom(new Shape3(16, 32, 32), 3);
        Geometry g = image.geometry();
        double[][] q = g.affine().toArray();
        q[0][3] += 0.5;
        q[1][3] -= 0.25;
        q[2][3] += 0.75;
        Geometry both = new Geometry(g.shape(), g.spacing(), g.affine(), Geometry.SCANNER_ANAT, Geometry.ALIGNED_ANAT,
                org.e2enet.core.volume.Affine.of(q));
        Path in = dir.resolve("in");
        java.nio.file.Files.createDirectories(in);
        org.e2enet.core.nifti.NiftiWriter.standard().write(image.withGeometry(both), in.resolve("c_0000.nii.gz"));
        Geometry read = org.e2enet.core.nifti.NiftiReader.read(in.resolve("c_0000.nii.gz")).geometry();
        assertTrue(read.qformAffine() != null, "the input file has a qform of its own");
        Path out = dir.resolve("out");
        CasePrediction.prepareOutput(out);
        try (Segmenter s = Segmenter.open(onnx, Backend.ORT_CPU, 1, SegmenterOptions.defaults())) {
            CasePrediction.run(s, CaseFiles.find(in, 1).get(0), out, false);
        }
        Geometry written = org.e2enet.core.nifti.NiftiReader.read(out.resolve("c.nii.gz")).geometry();
        assertTrue(written.affine().approxEquals(read.affine(), 1e-5), "sform kept");
        assertTrue(written.qformAffine() != null && written.qformAffine().approxEquals(read.qformAffine(), 1e-5),
                "qform kept, not rewritten to the sform: " + written.qformAffine());
        assertEquals(read.qformCode(), written.qformCode());
        assertEquals(read.sformCode(), written.sformCode());
    }

    @Test
    void aCaseTooLargeForTheHeapIsRefusedFromItsHeaderBeforeAnyVoxelIsRead() throws Exception {
        ModelSpec spec = RuntimeFixtures.spec(new int[] {16, 32, 32}, 3);
        Path onnx = RuntimeFixtures.export(spec, dir, 1);
        Path in = dir.resolve("big");
        java.nio.file.Files.createDirectories(in);
        Path file = in.resolve("huge_0000.nii");
        org.e2enet.core.nifti.NiftiWriter.standard().write(phantom(new Shape3(8, 16, 16), 1), file);
        // the header claims 1024^3 voxels (about 10 GiB to predict); the file holds a few kilobytes
        byte[] b = java.nio.file.Files.readAllBytes(file);
        java.nio.ByteBuffer h = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        h.putShort(42, (short) 1024).putShort(44, (short) 1024).putShort(46, (short) 1024);
        java.nio.file.Files.write(file, b);
        Path out = dir.resolve("out-big");
        CasePrediction.prepareOutput(out);
        try (Segmenter s = Segmenter.open(onnx, Backend.ORT_CPU, 1, SegmenterOptions.defaults())) {
            org.e2enet.core.io.BadInputException e = assertThrows(org.e2enet.core.io.BadInputException.class,
                    () -> CasePrediction.run(s, CaseFiles.find(in, 1).get(0), out, false));
            assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("-Xmx"), e.getMessage());
        }
    }

    @Test
    void closeWhileSegmentationsRunWaitsForThemAndRefusesLaterCalls() throws Exception {
        ModelSpec spec = RuntimeFixtures.spec(new int[] {16, 32, 32}, 3);
        Path onnx = RuntimeFixtures.export(spec, dir, 5);
        Volume image = phantom(new Shape3(48, 96, 96), 5);
        Segmenter seg = Segmenter.open(onnx, Backend.ORT_CPU, 1, SegmenterOptions.builder().mirroring(SegmenterOptions.Mirroring.ALL_FLIPS).build());
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<Segmentation>> running = List.of(threads.submit(() -> seg.segment("a", List.of(image))),
                    threads.submit(() -> seg.segment("b", List.of(image))));
            while (seg.callsInFlight() < 2) {
                Thread.sleep(5);
            }
            seg.close(); // used to free the session under the running calls: SIGSEGV in libonnxruntime.so
            // close returns only after the calls in flight have ended (their futures complete a moment later, once
            // segment has returned its result)
            assertEquals(0, seg.callsInFlight(), "close returns only after the calls in flight");
            for (java.util.concurrent.Future<Segmentation> f : running) {
                assertEquals(image.shape(), f.get(1, java.util.concurrent.TimeUnit.MINUTES).labels().shape());
            }
            IllegalStateException late = assertThrows(IllegalStateException.class, () -> seg.segment("late", List.of(image)));
            assertEquals("closed", late.getMessage());
            seg.close();
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void closeRacingConcurrentCallsNeverCrashesAndEachCallEndsCleanly() throws Exception {
        ModelSpec spec = RuntimeFixtures.spec(new int[] {16, 32, 32}, 3);
        Path onnx = RuntimeFixtures.export(spec, dir, 7);
        Volume image = phantom(new Shape3(24, 48, 48), 7);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        for (int round = 0; round < 20; round++) {
            Segmenter seg = Segmenter.open(onnx, Backend.ORT_CPU, 1, SegmenterOptions.defaults());
            java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(3);
            List<java.util.concurrent.Future<Integer>> callers = new java.util.ArrayList<>();
            for (int t = 0; t < 3; t++) {
                callers.add(threads.submit(() -> {
                    int done = 0;
                    while (true) {
                        try {
                            assertEquals(image.shape(), seg.segment("c", List.of(image)).labels().shape());
                            done++;
                        } catch (IllegalStateException e) {
                            assertEquals("closed", e.getMessage());
                            return done;
                        }
                    }
                }));
            }
            Thread.sleep(rng.nextInt(60));
            seg.close();
            threads.shutdown();
            assertTrue(threads.awaitTermination(2, java.util.concurrent.TimeUnit.MINUTES));
            for (java.util.concurrent.Future<Integer> f : callers) {
                f.get(); // a caller that saw anything but results and then "closed" fails here
            }
        }
    }

    @Test
    void cancellingARunningSegmentationStopsItBetweenTiles() throws Exception {
        ModelSpec spec = RuntimeFixtures.spec(new int[] {16, 32, 32}, 3);
        Path onnx = RuntimeFixtures.export(spec, dir, 6);
        Volume image = phantom(new Shape3(64, 160, 160), 6); // hundreds of tile runs with the 8 flips: far longer than the wait below
        try (Segmenter seg = Segmenter.open(onnx, Backend.ORT_CPU, 1, SegmenterOptions.builder().mirroring(SegmenterOptions.Mirroring.ALL_FLIPS).build())) {
            java.util.concurrent.atomic.AtomicReference<Object> outcome = new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.ExecutorService thread = java.util.concurrent.Executors.newSingleThreadExecutor();
            java.util.concurrent.Future<?> call = thread.submit(() -> {
                try {
                    outcome.set(seg.segment("long", List.of(image)));
                } catch (RuntimeException e) {
                    outcome.set(e);
                }
            });
            while (seg.callsInFlight() < 1) {
                Thread.sleep(5);
            }
            Thread.sleep(1500); // here past the preprocessing, among the tiles ("interrupted after N of M tiles")
            call.cancel(true);
            thread.shutdown();
            assertTrue(thread.awaitTermination(5, java.util.concurrent.TimeUnit.MINUTES));
            assertTrue(outcome.get() instanceof java.util.concurrent.CancellationException, "the call stopped instead of finishing: " + outcome.get());
            assertTrue(((Exception) outcome.get()).getMessage().matches("interrupted( after \\d+ of \\d+ tiles)?"), String.valueOf(outcome.get()));
            assertEquals(0, seg.callsInFlight());
        }
    }

    @Test
    void aVolumeOfThePatchSizeGivesExactlyOneForwardPass() throws Exception {
        ModelSpec spec = RuntimeFixtures.spec(new int[] {16, 32, 32}, 3);
        Path onnx = RuntimeFixtures.export(spec, dir, 1);
        Volume image = phantom(new Shape3(16, 32, 32), 3);
        try (OnnxModel model = OnnxModel.open(onnx, Backend.ORT_CPU, 2)) {
            Segmentation s = new Segmenter(model, SegmenterOptions.defaults()).segment("c", List.of(image));
            assertEquals(1, s.tiles());
            PreprocessedCase pre = new CasePreprocessor(model.plans()).forward(CaseInput.of("c", List.of(image)));
            float[] logits = model.run(pre.channels()[0], new long[] {1, 1, 16, 32, 32});
            int n = 16 * 32 * 32;
            byte[] expected = new byte[n];
            for (int v = 0; v < n; v++) {
                int best = 0;
                for (int c = 1; c < 3; c++) {
                    if (logits[c * n + v] > logits[best * n + v]) {
                        best = c;
                    }
                }
                expected[v] = (byte) best;
            }
            byte[] got = new byte[n];
            for (int v = 0; v < n; v++) {
                got[v] = (byte) s.labels().value(0, v);
            }
            assertArrayEquals(expected, got);
            assertEquals(image.geometry().affine(), s.labels().geometry().affine());
        }
    }

    @Test
    void largerAndSmallerVolumesKeepTheirGeometryAndProbabilitiesSumToOne() throws Exception {
        ModelSpec spec = RuntimeFixtures.spec(new int[] {16, 32, 32}, 3);
        Path onnx = RuntimeFixtures.export(spec, dir, 2);
        try (OnnxModel model = OnnxModel.open(onnx, Backend.ORT_CPU, 2)) {
            Segmenter seg = new Segmenter(model, SegmenterOptions.builder().mirroring(SegmenterOptions.Mirroring.ALL_FLIPS).batch(3).outputs(SegmenterOptions.Outputs.LABELS_AND_PROBABILITIES).build());
            for (Shape3 shape : new Shape3[] {new Shape3(40, 50, 70), new Shape3(10, 20, 24)}) {
                Volume image = phantom(shape, 4);
                Segmentation s = seg.segment("c", List.of(image));
                assertEquals(shape, s.labels().shape());
                assertEquals(3, s.probabilities().length);
                for (int v = 0; v < shape.voxelsInt(); v += 97) {
                    double sum = 0;
                    int best = 0;
                    for (int c = 0; c < 3; c++) {
                        sum += s.probabilities()[c][v];
                        if (s.probabilities()[c][v] > s.probabilities()[best][v]) {
                            best = c;
                        }
                    }
                    assertEquals(1.0, sum, 1e-4);
                    assertEquals(best, (int) s.labels().value(0, v), "labels are the argmax of the probabilities");
                }
            }
        }
    }

    @Test
    void badInputsAreRefusedClearly() throws Exception {
        ModelSpec spec = RuntimeFixtures.spec(new int[] {16, 32, 32}, 3);
        Path onnx = RuntimeFixtures.export(spec, dir, 3);
        try (OnnxModel model = OnnxModel.open(onnx, Backend.ORT_CPU, 1)) {
            Segmenter seg = new Segmenter(model, SegmenterOptions.defaults());
            Volume image = phantom(new Shape3(16, 32, 32), 5);
            assertTrue(assertThrows(InvalidImageException.class, () -> seg.segment("two", List.of(image, image))).getMessage()
                    .contains("expects 1"));
            Volume nan = Volume.of(image.geometry(), org.e2enet.core.volume.VoxelData.ofFloats(image.floats(0)));
            nan.channel(0).set(7, Double.NaN);
            assertTrue(assertThrows(InvalidImageException.class, () -> seg.segment("nan", List.of(nan))).getMessage().contains("NaN"));
            // a 4D image of two volumes passed as the model's one channel used to be segmented from its first volume alone
            Volume twoVolumes = new Volume(image.geometry(), List.of(org.e2enet.core.volume.VoxelData.ofFloats(image.floats(0)),
                    org.e2enet.core.volume.VoxelData.ofFloats(image.floats(0))), 1, 0);
            String fourD = assertThrows(InvalidImageException.class, () -> seg.segment("4d", List.of(twoVolumes))).getMessage();
            assertTrue(fourD.contains("4d: channel 0 holds 2 volumes"), fourD);
        }
        BadInputException cuda = assertThrows(BackendUnavailableException.class, () -> OnnxModel.open(onnx, Backend.ORT_CUDA, 1));
        assertTrue(cuda.getMessage().contains("CUDA") && cuda.getMessage().contains("-Pcuda"), cuda.getMessage());
        Path notOurs = java.nio.file.Files.writeString(dir.resolve("x.onnx"), "not a model");
        ModelLoadException corrupt = assertThrows(ModelLoadException.class, () -> OnnxModel.open(notOurs, Backend.ORT_CPU, 1));
        assertTrue(corrupt.getMessage().startsWith(notOurs.toString()), corrupt.getMessage());
        // a service logs the problem without the path, which may hold a patient's identifiers
        assertEquals(notOurs, corrupt.file().orElseThrow());
        assertEquals("not an ONNX model (corrupt protobuf)", corrupt.problem());
        ModelLoadException missing = assertThrows(ModelLoadException.class, () -> OnnxModel.open(dir.resolve("none.onnx"), Backend.ORT_CPU, 1));
        assertEquals("no such ONNX model", missing.problem());
        assertEquals("model", assertThrows(NullPointerException.class, () -> new Segmenter(null, SegmenterOptions.defaults())).getMessage());
        assertEquals("file", assertThrows(NullPointerException.class, () -> OnnxModel.open((Path) null, Backend.ORT_CPU, 1)).getMessage());
    }
}
