package org.e2enet.runtime.bench;
import org.e2enet.runtime.CasePrediction;


/**
 * Figures of one model in one benchmark run.
 *
 * @param model the ONNX file
 * @param backend where it ran
 * @param precision the model's precision (fp32, fp16, int8)
 * @param tileMedianMs median latency of one patch-sized tile after warm-up
 * @param tileP10Ms 10th percentile
 * @param tileP90Ms 90th percentile
 * @param ratioToFirst median latency relative to the first model benchmarked
 * @param graphTrueFlops the graph's true FLOPs for one patch-sized tile
 * @param volumeVoxelsPerSecond whole-volume throughput (read excluded), or null when not measured (no volume asked
 *     for, or a model without plans)
 * @param volumeSeconds whole-volume time, or null when not measured
 * @param volumeStages the whole volume's seconds per stage (read, preprocess, network, resample back, write), or null
 * @param peakRssMiB the process's peak resident memory so far (Linux), or -1
 */
public record BenchResult(String model, String backend, String precision, double tileMedianMs, double tileP10Ms, double tileP90Ms, double ratioToFirst,
                          long graphTrueFlops, Double volumeVoxelsPerSecond, Double volumeSeconds, CasePrediction.Timing volumeStages, long peakRssMiB) {
}
