package org.e2enet.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.e2enet.core.nifti.NiftiWriter;
import org.e2enet.core.synth.PhantomGenerator;
import org.e2enet.core.volume.Geometry;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.volume.Spacing3;
import org.e2enet.core.volume.Volume;
import org.e2enet.trainer.check.TrainingEngineCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints what a {@link Segmenter}'s memory budget does under load: N CT-sized cases through
 * {@link CasePrediction#predict} (files in, {@code .nii.gz} out, as a service runs them) on one ORT CPU model, one
 * after another, from N threads at once under the default budget (3/4 of the heap), and from N threads with the
 * budget off. Each variant runs in a JVM of its own, because the peak RSS it reports ({@code VmHWM}) is the whole
 * process's. Not part of the test suite; run it with
 * {@code mvn -o -pl runtime -am test -Dtest=MemoryBudgetBenchmark -Dsurefire.failIfNoSpecifiedTests=false} ({@code -am}
 * so that the sibling modules come from this checkout; {@code -Dcases=16 -Ddepth=100 -Dxmx=2200m -DlimitSeconds=300},
 * the time each JVM may take, are the defaults). The README quotes its figures.
 */
class MemoryBudgetBenchmark {
    /** An abdominal CT's in-plane grid and spacing (d, h, w in mm); the depth is a property. */
    private static final int SIDE = 512;
    private static final Spacing3 CT_SPACING = new Spacing3(2.5, 0.8, 0.8);
    /**
     * The model is planned at 2.5 mm isotropic, as a low-resolution CT configuration is, so that the tiny test
     * network's tile count (not what is measured here) stays small while every volume buffer is CT-sized.
     */
    private static final double[] TARGET = {2.5, 2.5, 2.5};
    private static final int[] PATCH = {32, 64, 64};
    private static final int CLASSES = 3;
    private static final int THREADS = 2;

    /** How the cases are run. */
    enum Variant {
        SEQUENTIAL("one thread, default budget"),
        BUDGET("N threads, default budget"),
        UNBOUNDED("N threads, budget off");

        final String label;

        Variant(String label) {
            this.label = label;
        }
    }

    @TempDir
    Path dir;

    @Test
    void concurrentCasesUnderTheBudgetAgainstSequentialAndUnbounded() throws Exception {
        int cases = Integer.getInteger("cases", 16);
        int depth = Integer.getInteger("depth", 100);
        String xmx = System.getProperty("xmx", "2200m");
        int limitS = Integer.getInteger("limitSeconds", 300);
        Path onnx = RuntimeFixtures.export(RuntimeFixtures.spec(PATCH, CLASSES), RuntimeFixtures.plans(CLASSES, TARGET), dir, 7);
        Path in = dir.resolve("in");
        Files.createDirectories(in);
        Shape3 shape = new Shape3(depth, SIDE, SIDE);
        Volume ct = new PhantomGenerator(shape, CLASSES - 1).generate(1, 0).image();
        Path first = in.resolve("case00_0000.nii.gz");
        NiftiWriter.standard().write(ct.withGeometry(Geometry.of(shape, CT_SPACING)), first);
        // the same phantom under N names: every case costs the same, so the variants differ only in how they run
        for (int i = 1; i < cases; i++) {
            Files.copy(first, in.resolve(String.format(Locale.ROOT, "case%02d_0000.nii.gz", i)));
        }
        System.out.printf(Locale.ROOT, "%d cases of %s int16 at %s mm (%.1f MB gzipped each), model: %d classes, patch %s, plans' target "
                + "%s mm, ORT CPU with %d threads; -Xmx%s; CPU %s; malloc env %s; core from %s%n", cases, shape, CT_SPACING, Files.size(first) / 1e6,
                CLASSES, java.util.Arrays.toString(PATCH), java.util.Arrays.toString(TARGET), THREADS, xmx, TrainingEngineCheck.cpu(),
                System.getenv().entrySet().stream().filter(e -> e.getKey().startsWith("MALLOC_")).map(e -> e.getKey() + "=" + e.getValue())
                        .sorted().collect(Collectors.joining(" ")), Volume.class.getProtectionDomain().getCodeSource().getLocation());
        Map<Variant, Map<String, String>> results = new LinkedHashMap<>();
        for (Variant v : Variant.values()) {
            Path out = dir.resolve("out-" + v);
            Files.createDirectories(out);
            String loadBefore = load();
            results.put(v, child(v, xmx, limitS, onnx, in, out));
            System.out.printf(Locale.ROOT, "%s: load %s before, %s after%n", v, loadBefore, load());
        }
        print(results, cases);
        assertTrue(results.get(Variant.SEQUENTIAL).containsKey("wallMs"), "the sequential run finished: " + results.get(Variant.SEQUENTIAL));
    }

    /** Runs one variant in its own JVM; its result line as keys and values, or why there is none. */
    private static Map<String, String> child(Variant v, String xmx, int limitS, Path onnx, Path in, Path out) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + xmx,
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), MemoryBudgetBenchmark.class.getName(), v.name(),
                onnx.toString(), in.toString(), out.toString()).redirectErrorStream(true).redirectOutput(out.resolveSibling(v + ".log").toFile())
                .start();
        Map<String, String> r = new LinkedHashMap<>();
        if (!p.waitFor(limitS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            r.put("outcome", "killed after " + limitS + " s");
            return r;
        }
        List<String> log = Files.readAllLines(out.resolveSibling(v + ".log"), StandardCharsets.UTF_8);
        String line = log.stream().filter(l -> l.startsWith("RESULT ")).findFirst().orElse(null);
        if (line == null) {
            r.put("outcome", "exit " + p.exitValue() + ": " + String.join(" | ", log.subList(Math.max(0, log.size() - 5), log.size())));
            return r;
        }
        for (String kv : line.substring("RESULT ".length()).split(" ")) {
            int eq = kv.indexOf('=');
            r.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        System.out.println(v + ": " + line);
        return r;
    }

    private static void print(Map<Variant, Map<String, String>> results, int cases) {
        Map<String, String> s = results.get(Variant.SEQUENTIAL);
        double sequentialRate = s.containsKey("wallMs") ? Double.parseDouble(s.get("done")) / Double.parseDouble(s.get("wallMs")) : Double.NaN;
        System.out.println("| variant | budget | max cases admitted at once | peak RSS | peak heap used (before GC) | peak heap after GC "
                + "| GC time (collections) | wall time | cases/min | throughput vs sequential | outcome |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (Map.Entry<Variant, Map<String, String>> e : results.entrySet()) {
            Map<String, String> r = e.getValue();
            if (!r.containsKey("wallMs")) {
                System.out.printf(Locale.ROOT, "| %s | | | | | | | | | | %s |%n", e.getKey().label, r.get("outcome"));
                continue;
            }
            double wall = Double.parseDouble(r.get("wallMs"));
            int done = Integer.parseInt(r.get("done"));
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %.1f s (%s) | %.1f s | %.2f | %.2fx "
                    + "| %d of %d written, %s OOM, %s other failures |%n",
                    e.getKey().label, gib(r.get("budget")), r.get("admittedMax"), gib(r.get("rssPeak")), gib(r.get("heapPeak")),
                    gib(r.get("heapAfterGcPeak")), Long.parseLong(r.get("gcMs")) / 1e3, r.get("gcCount"), wall / 1e3, done / (wall / 60e3),
                    done / wall / sequentialRate, done, cases, r.get("oom"), r.get("failed"));
        }
        if (s.containsKey("wallMs")) {
            System.out.printf(Locale.ROOT, "one case's estimate %s; sequential run: idle heap %s, one case's heap at most %s (peak used) and at "
                    + "least %s (peak after GC), above idle%n", gib(s.get("estimate")), gib(s.get("idleHeap")),
                    gib(String.valueOf(Long.parseLong(s.get("heapPeak")) - Long.parseLong(s.get("idleHeap")))),
                    gib(String.valueOf(Long.parseLong(s.get("heapAfterGcPeak")) - Long.parseLong(s.get("idleHeap")))));
        }
    }

    private static String gib(String bytes) {
        long b = Long.parseLong(bytes);
        return b == Long.MAX_VALUE ? "off" : String.format(Locale.ROOT, "%.2f GiB", b / 1073741824.0);
    }

    private static String load() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
    }

    /**
     * Runs in the child JVM: {@code variant onnx inputDir outputDir}. Prints one {@code RESULT} line; an
     * out-of-memory error in a case is counted, not fatal.
     */
    public static void main(String[] args) throws Exception {
        Variant variant = Variant.valueOf(args[0]);
        Path out = Path.of(args[3]);
        List<CaseFiles> cases = CaseFiles.find(Path.of(args[2]), 1);
        SegmenterOptions.Builder options = SegmenterOptions.builder();
        if (variant == Variant.UNBOUNDED) {
            options.memoryBudget(Long.MAX_VALUE);
        }
        try (OnnxModel model = OnnxModel.open(Path.of(args[1]), Backend.ORT_CPU, THREADS);
             Segmenter segmenter = new Segmenter(model, options.build())) {
            System.gc();
            long idle = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            HeapPeaks peaks = HeapPeaks.watch();
            AtomicInteger admittedMax = new AtomicInteger();
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    admittedMax.accumulateAndGet(segmenter.casesAdmitted(), Math::max);
                    peaks.used.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.setDaemon(true);
            sampler.start();
            long gcMs0 = gcMs();
            long gcCount0 = gcCount();
            AtomicInteger done = new AtomicInteger();
            AtomicInteger oom = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            List<Callable<Void>> work = new ArrayList<>();
            for (CaseFiles c : cases) {
                work.add(() -> {
                    try {
                        CasePrediction.predict(segmenter, c, out, false);
                        done.incrementAndGet();
                    } catch (OutOfMemoryError e) {
                        oom.incrementAndGet();
                    } catch (IOException | RuntimeException e) {
                        failed.incrementAndGet();
                        System.out.println(c.id() + ": " + e);
                    }
                    return null;
                });
            }
            long t0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(variant == Variant.SEQUENTIAL ? 1 : cases.size());
            pool.invokeAll(work);
            long wallMs = (System.nanoTime() - t0) / 1_000_000;
            pool.shutdown();
            sampler.interrupt();
            sampler.join();
            long estimate = CaseMemory.estimate(cases.get(0), model.plans(), model.classes(), false);
            System.out.printf(Locale.ROOT, "RESULT budget=%d estimate=%d admittedMax=%d idleHeap=%d heapPeak=%d heapAfterGcPeak=%d gcMs=%d "
                    + "gcCount=%d wallMs=%d done=%d oom=%d failed=%d rssPeak=%d gcs=%s%n", segmenter.options().memoryBudget(), estimate,
                    admittedMax.get(), idle, Math.max(peaks.used.get(), peaks.beforeGc.get()), peaks.afterGc.get(), gcMs() - gcMs0,
                    gcCount() - gcCount0, wallMs, done.get(), oom.get(), failed.get(), vmHwm(),
                    ManagementFactory.getGarbageCollectorMXBeans().stream().map(b -> b.getName().replace(' ', '_')).collect(Collectors.joining(",")));
        }
    }

    /** The heap's peaks as the collector saw them: occupancy before each collection (garbage included) and after it. */
    private static final class HeapPeaks {
        final AtomicLong used = new AtomicLong();
        final AtomicLong beforeGc = new AtomicLong();
        final AtomicLong afterGc = new AtomicLong();

        static HeapPeaks watch() {
            HeapPeaks p = new HeapPeaks();
            Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream().filter(b -> b.getType() == MemoryType.HEAP)
                    .map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).addNotificationListener((n, handback) -> {
                    if (n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                        var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo();
                        p.beforeGc.accumulateAndGet(heap(info.getMemoryUsageBeforeGc(), heapPools), Math::max);
                        p.afterGc.accumulateAndGet(heap(info.getMemoryUsageAfterGc(), heapPools), Math::max);
                    }
                }, null, null);
            }
            return p;
        }

        private static long heap(Map<String, MemoryUsage> pools, Set<String> heapPools) {
            return pools.entrySet().stream().filter(e -> heapPools.contains(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
        }
    }

    private static long gcMs() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    private static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    /** The process's peak resident set ({@code VmHWM}) in bytes. */
    private static long vmHwm() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IOException("no VmHWM in /proc/self/status");
    }
}
