package org.e2enet.distributed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.e2enet.core.io.AtomicFiles;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.io.Sha256;
import org.e2enet.runtime.Backend;
import org.e2enet.runtime.Segmenter;
import org.e2enet.runtime.SegmenterOptions;

/**
 * One {@link Segmenter} per executor JVM and model (with its backend and threads): opened by the first task that needs it, shared by every
 * later task and partition of that JVM (ONNX Runtime sessions take concurrent runs), closed when the JVM shuts
 * down. Opening is what costs (the model is read, the session built, a TensorRT engine loaded), so an executor pays
 * it once, not per case.
 */
final class ExecutorSegmenters {
    private static final Map<Key, Segmenter> OPEN = new HashMap<>();
    private static final AtomicInteger OPENED = new AtomicInteger();
    private static boolean hooked;

    private ExecutorSegmenters() {
    }

    /** What makes two jobs' Segmenters the same: the model and how it runs (not where its results go). */
    private record Key(String model, String modelSha256, Backend backend, int threads) {
    }

    /** The Segmenter of this JVM for {@code s}. */
    static synchronized Segmenter get(JobSettings s) {
        Key key = new Key(s.model(), s.modelSha256(), s.backend(), s.threads());
        Segmenter open = OPEN.get(key);
        if (open != null) {
            return open;
        }
        Path model = stageModel(s);
        String digest = Sha256.of(model);
        if (!digest.equals(s.modelSha256())) {
            throw new BadInputException(s.model() + ": the executor read a model with SHA-256 " + digest + ", the driver "
                    + s.modelSha256() + ": it changed while the job ran");
        }
        Segmenter seg = Segmenter.open(model, s.backend(), s.threads(), SegmenterOptions.defaults());
        OPEN.put(key, seg);
        OPENED.incrementAndGet();
        if (!hooked) {
            hooked = true;
            Runtime.getRuntime().addShutdownHook(new Thread(ExecutorSegmenters::closeAll, "e2enet-segmenters"));
        }
        return seg;
    }

    /** How many Segmenters this JVM has opened. */
    static int opened() {
        return OPENED.get();
    }

    /** Closes every Segmenter of this JVM. */
    static synchronized void closeAll() {
        OPEN.values().forEach(Segmenter::close);
        OPEN.clear();
    }

    private static Path stageModel(JobSettings s) {
        if (StagedFiles.isLocal(s.model())) {
            return StagedFiles.local(s.model());
        }
        try {
            Path dir = Files.createTempDirectory("e2enet-model");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> AtomicFiles.deleteQuietly(dir)));
            return StagedFiles.toLocal(s.model(), dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the model " + s.model() + " to this executor", e);
        }
    }
}
