package org.e2enet.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.volume.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a service relies on: who closes the model, concurrent calls, time limits and cancellation of a run in flight. */
class SegmenterServiceTest {
    @TempDir
    Path dir;

    private static byte[] labels(Segmentation s) {
        byte[] out = new byte[s.labels().shape().voxelsInt()];
        for (int v = 0; v < out.length; v++) {
            out[v] = (byte) s.labels().value(0, v);
        }
        return out;
    }

    @Test
    void segmentersOnAModelTheyDoNotOwnLeaveItOpenAndOneThatOwnsItClosesIt() throws Exception {
        Path onnx = RuntimeFixtures.export(RuntimeFixtures.spec(new int[] {16, 32, 32}, 3), dir, 11);
        Volume image = SegmenterTest.phantom(new Shape3(20, 40, 40), 11);
        try (OnnxModel model = OnnxModel.open(onnx, Backend.ORT_CPU, 1)) {
            Segmenter first = new Segmenter(model, SegmenterOptions.defaults());
            byte[] expected = labels(first.segment("c", List.of(image)));
            first.close();
            // the old constructor closed the model with the segmenter: a second segmenter then failed
            try (Segmenter second = new Segmenter(model, SegmenterOptions.defaults())) {
                assertArrayEquals(expected, labels(second.segment("c", List.of(image))));
            }
            assertEquals(3 * 16 * 32 * 32, model.run(new float[16 * 32 * 32], new long[] {1, 1, 16, 32, 32}).length);
        }
        Segmenter owner = Segmenter.open(onnx, Backend.ORT_CPU, 1, SegmenterOptions.defaults());
        OnnxModel owned = owner.model();
        owner.close();
        assertEquals("closed", assertThrows(IllegalStateException.class, () -> owned.run(new float[16 * 32 * 32], new long[] {1, 1, 16, 32, 32}))
                .getMessage());
    }

    @Test
    void concurrentCallsEqualSequentialOnesAndClosingTheModelUnderThemNeverCrashes() throws Exception {
        Path onnx = RuntimeFixtures.export(RuntimeFixtures.spec(new int[] {16, 32, 32}, 3), dir, 12);
        List<Volume> images = List.of(SegmenterTest.phantom(new Shape3(20, 40, 40), 1), SegmenterTest.phantom(new Shape3(24, 36, 44), 2),
                SegmenterTest.phantom(new Shape3(16, 48, 32), 3), SegmenterTest.phantom(new Shape3(18, 40, 40), 4));
        List<byte[]> sequential = new ArrayList<>();
        try (Segmenter s = Segmenter.open(onnx, Backend.ORT_CPU, 2, SegmenterOptions.defaults())) {
            for (Volume v : images) {
                sequential.add(labels(s.segment("c", List.of(v))));
            }
        }
        java.util.SplittableRandom rng = new java.util.SplittableRandom(12);
        for (int round = 0; round < 12; round++) {
            OnnxModel model = OnnxModel.open(onnx, Backend.ORT_CPU, 2);
            ExecutorService threads = Executors.newFixedThreadPool(4);
            List<Future<Integer>> callers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int which = t;
                // each caller has its own segmenter on the shared model, as a service's request handlers would
                Segmenter seg = new Segmenter(model, SegmenterOptions.defaults());
                callers.add(threads.submit(() -> {
                    int done = 0;
                    while (true) {
                        try {
                            assertArrayEquals(sequential.get(which), labels(seg.segment("c", List.of(images.get(which)))));
                            done++;
                        } catch (IllegalStateException e) {
                            assertEquals("closed", e.getMessage());
                            return done;
                        }
                    }
                }));
            }
            Thread.sleep(round < 2 ? 3000 : rng.nextInt(80));
            model.close();
            threads.shutdown();
            assertTrue(threads.awaitTermination(2, TimeUnit.MINUTES));
            int calls = 0;
            for (Future<Integer> f : callers) {
                calls += f.get();
            }
            assertTrue(round >= 2 || calls > 0, "the first rounds run long enough for concurrent results to be compared");
        }
    }

    /** A volume whose tiles all lie at one depth, run as one batch: a single network run that takes long. */
    private static Volume wideSlab() {
        return SegmenterTest.phantom(new Shape3(16, 32 * 12, 32 * 12), 13);
    }

    /**
     * The preprocessing's and the one network run's milliseconds, warm: the least of three calls after a first (ONNX
     * Runtime's first runs of a large batch are several times slower while its memory arena grows).
     */
    private record Warm(long preprocessMs, long networkMs) {
    }

    private static Warm warm(Segmenter s, Volume slab) {
        s.segment("first", List.of(slab));
        double pre = Double.MAX_VALUE;
        double network = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            Segmentation r = s.segment("warm", List.of(slab));
            pre = Math.min(pre, r.preprocessMs());
            network = Math.min(network, r.networkMs());
        }
        assertTrue(network > 300, "the test needs a network run of some length, got " + network + " ms");
        return new Warm((long) pre, (long) network);
    }

    @Test
    void aTimeLimitStopsTheNetworksRunInFlightNotAfterIt() throws Exception {
        Path onnx = RuntimeFixtures.export(RuntimeFixtures.spec(new int[] {16, 32, 32}, 3), dir, 13);
        Volume slab = wideSlab();
        try (Segmenter s = Segmenter.open(onnx, Backend.ORT_CPU, 2, SegmenterOptions.builder().batch(1024).build())) {
            Warm w = warm(s, slab);
            // the limit falls a quarter into the network's one run
            long limit = w.preprocessMs() + w.networkMs() / 4;
            long t0 = System.nanoTime();
            SegmentationTimeoutException late = assertThrows(SegmentationTimeoutException.class,
                    () -> s.segment("slab", List.of(slab), Duration.ofMillis(limit)));
            long took = (System.nanoTime() - t0) / 1_000_000;
            // without RunOptions.setTerminate the call returned only after its one run: at least limit + 3/4 of it
            assertTrue(took < limit + w.networkMs() / 2, "a " + limit + " ms limit stopped the call after " + took + " ms (network run "
                    + w.networkMs() + " ms)");
            assertTrue(late.getMessage().startsWith("slab: the time limit of "), late.getMessage());
            // the segmenter and its model go on working after a stopped call
            assertEquals(slab.shape(), s.segment("after", List.of(slab), Duration.ofMinutes(5)).labels().shape());
        }
    }

    @Test
    void cancellingACallStopsTheNetworksRunInFlight() throws Exception {
        Path onnx = RuntimeFixtures.export(RuntimeFixtures.spec(new int[] {16, 32, 32}, 3), dir, 14);
        Volume slab = wideSlab();
        try (Segmenter s = Segmenter.open(onnx, Backend.ORT_CPU, 2, SegmenterOptions.builder().batch(1024).build())) {
            Warm w = warm(s, slab);
            ExecutorService thread = Executors.newSingleThreadExecutor();
            AtomicReference<Object> outcome = new AtomicReference<>();
            Future<?> call = thread.submit(() -> {
                try {
                    outcome.set(s.segment("slab", List.of(slab)));
                } catch (RuntimeException e) {
                    outcome.set(e);
                }
            });
            while (s.callsInFlight() < 1) {
                Thread.sleep(1);
            }
            Thread.sleep(w.preprocessMs() + w.networkMs() / 4); // a quarter into the network's one run
            long t0 = System.nanoTime();
            call.cancel(true);
            thread.shutdown();
            assertTrue(thread.awaitTermination(2, TimeUnit.MINUTES));
            long took = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(outcome.get() instanceof CancellationException, "cancelled, not finished: " + outcome.get());
            // without the stop the call ran on to the end of its run: 3/4 of it at least
            assertTrue(took < w.networkMs() / 2, "stopped " + took + " ms after the cancel, in a " + w.networkMs() + " ms network run");
        }
    }

    @Test
    void aBudgetOfOneCaseRunsConcurrentCallsOneAtATimeWithTheSameResults() throws Exception {
        Path onnx = RuntimeFixtures.export(RuntimeFixtures.spec(new int[] {16, 32, 32}, 3), dir, 15);
        Volume image = SegmenterTest.phantom(new Shape3(20, 40, 40), 15);
        try (OnnxModel model = OnnxModel.open(onnx, Backend.ORT_CPU, 1)) {
            byte[] expected = labels(new Segmenter(model, SegmenterOptions.defaults()).segment("c", List.of(image)));
            Segmenter one = new Segmenter(model, SegmenterOptions.builder().memoryBudget(1).build());
            ExecutorService threads = Executors.newFixedThreadPool(4);
            List<Future<byte[]>> calls = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                calls.add(threads.submit(() -> labels(one.segment("c", List.of(image)))));
            }
            for (Future<byte[]> f : calls) {
                assertArrayEquals(expected, f.get());
            }
            threads.shutdown();
            // a call that waits for memory still obeys its time limit
            MemoryAdmission.Admitted held = oneAdmission(one);
            try {
                assertThrows(SegmentationTimeoutException.class, () -> one.segment("queued", List.of(image), Duration.ofMillis(50)));
            } finally {
                held.close();
            }
        }
    }

    /** Takes the segmenter's whole budget from the test's thread, as a running case would. */
    private static MemoryAdmission.Admitted oneAdmission(Segmenter s) throws Exception {
        java.lang.reflect.Field f = Segmenter.class.getDeclaredField("admission");
        f.setAccessible(true);
        return ((MemoryAdmission) f.get(s)).admit(1, (done, total) -> { });
    }
}
