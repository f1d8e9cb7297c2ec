package org.e2enet.runtime.bench;

import org.e2enet.runtime.BackendOptions;
import org.e2enet.runtime.OnnxModel;
import org.e2enet.runtime.Backend;
import java.nio.file.Path;
import org.e2enet.devices.DeploymentPlanner;

/** Measures the planner's candidates with the runtime: milliseconds per tile, median of timed runs after warm-ups. */
public final class TileTimer implements DeploymentPlanner.Measurer {
    private final int runs;
    private final BackendOptions base;

    /**
     * @param runs timed runs per candidate
     * @param base fp16, engine cache and GPU for the TensorRT backends (threads are the candidate's)
     */
    public TileTimer(int runs, BackendOptions base) {
        this.runs = runs;
        this.base = base;
    }

    @Override
    public double tileMs(DeploymentPlanner.Variant variant, String backend, int threads, int batch) {
        BackendOptions o = BackendOptions.builder().threads(threads).fp16(base.fp16()).engineCache(base.engineCache()).deviceId(base.deviceId()).maxBatch(Math.max(base.maxBatch(), batch)).build();
        try (OnnxModel model = OnnxModel.open(Path.of(variant.model()), Backend.parse(backend), o)) {
            return Benchmark.sortedTileMs(model, batch, runs)[runs / 2];
        }
    }
}
