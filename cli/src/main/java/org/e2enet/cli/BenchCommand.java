package org.e2enet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.e2enet.core.metrics.FlopsCutRealised;
import org.e2enet.core.volume.Shape3;
import org.e2enet.runtime.bench.BenchResult;
import org.e2enet.runtime.bench.Benchmark;
import org.e2enet.runtime.CasePrediction;
import org.e2enet.runtime.bench.OperatorProfile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code e2enet bench}: latency and throughput of exported models, in one run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure exported models in one run: latency of one patch-sized tile (median and 10th/90th percentiles "
                + "after 2 warm-ups, ratio to the first model), whole-volume voxels/s and the process's peak memory.",
        footer = {"", "Examples:",
            "  e2enet bench --onnx models/dense.onnx --onnx models/pruned.onnx --runs 20",
            "  e2enet bench --onnx models/tiny.onnx --volume 64 160 160 --threads 2 --json",
            "  e2enet bench --onnx models/dense.onnx --onnx models/pruned.onnx --profile --threads 2"})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--onnx", required = true, description = "Model(s) to measure; ratios are against the first.")
    List<Path> models;

    @CommandLine.Mixin
    BackendMixin backend;

    @Option(names = "--runs", defaultValue = "10", description = "Timed runs per model. Default: ${DEFAULT-VALUE}.")
    int runs;

    @Option(names = "--volume", arity = "3", paramLabel = "N", description = "Whole-volume size D H W: a synthetic CT predicted as "
            + "'e2enet predict' would (written, read, preprocessed, segmented, resampled back, written), with seconds per stage.")
    int[] volume;

    @Option(names = "--volume-spacing", arity = "3", paramLabel = "MM", description = "Spacing D H W of the --volume case "
            + "(e.g. 0.8 0.8 0.8 for a CT; default: the model's target spacing, so nothing is resampled).")
    double[] volumeSpacing;

    @Option(names = "--batch", defaultValue = "1", description = "Tiles per network call, for the tile latency (then given per "
            + "tile) and the --volume case. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--profile", description = "Also profile each model with ONNX Runtime's session profiler: milliseconds per "
            + "tile by operator type and by exported layer (ort-* backends).")
    boolean profile;

    @Option(names = "--top", defaultValue = "12", description = "With --profile: how many layers to list. Default: ${DEFAULT-VALUE}.")
    int top;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec cmd;

    @Override
    public Integer call() {
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be >= 1");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be >= 1");
        }
        List<BenchResult> results = Benchmark.run(models, backend.backend, backend.options(batch), runs,
                volume == null ? null : Shape3.of(volume), volumeSpacing == null ? null : org.e2enet.core.volume.Spacing3.of(volumeSpacing), batch);
        List<OperatorProfile> profiles = new java.util.ArrayList<>();
        if (profile) {
            for (Path m : models) {
                profiles.add(OperatorProfile.measure(m, backend.backend, backend.options(1), runs));
            }
        }
        PrintWriter o = cmd.commandLine().getOut();
        if (json) {
            o.println(Json.write(profile ? java.util.Map.of("results", results, "profiles", profiles) : results));
        } else {
            o.printf(Locale.ROOT, "%-40s %-8s %-5s %10s %10s %10s %8s %14s %10s%n", "model", "backend", "prec", "tile ms", "p10", "p90", "ratio",
                    "volume vox/s", "peak MiB");
            for (BenchResult r : results) {
                String volume = r.volumeVoxelsPerSecond() == null ? "not measured" : String.format(Locale.ROOT, "%.4g", r.volumeVoxelsPerSecond());
                o.printf(Locale.ROOT, "%-40s %-8s %-5s %10.2f %10.2f %10.2f %8.3f %14s %10d%n", r.model(), r.backend(), r.precision(), r.tileMedianMs(),
                        r.tileP10Ms(), r.tileP90Ms(), r.ratioToFirst(), volume, r.peakRssMiB());
            }
        }
        if (!json) {
            for (BenchResult r : results) {
                if (volume != null && r.volumeVoxelsPerSecond() == null) {
                    o.printf(Locale.ROOT, "%s: whole volume not measured: the model carries no preprocessing plans (e2enet.plans metadata). "
                            + "Export it from a bundle trained on a dataset, or import its weights with --plans PLANS.json, then export.%n", r.model());
                }
            }
            printRealisedShares(o, results);
            for (BenchResult r : results) {
                CasePrediction.Timing t = r.volumeStages();
                if (t != null) {
                    double network = t.networkMs();
                    o.printf(Locale.ROOT, "%nwhole volume %s (%d voxels, %d tiles): read %.1f s, preprocess %.1f s, network %.1f s, tile path "
                            + "(copy in, softmax, accumulate, argmax) %.1f s, resample back %.1f s, write %.1f s; %.0f%% outside the network%n",
                            r.model(), t.voxels(), t.tiles(), t.readMs() / 1e3, t.preprocessMs() / 1e3, network / 1e3, t.tilePathMs() / 1e3,
                            t.postprocessMs() / 1e3, t.writeMs() / 1e3,
                            100 * (t.totalMs() - network) / t.totalMs());
                }
            }
            profiles.forEach(p -> printProfile(o, p));
        }
        o.flush();
        return 0;
    }

    private void printProfile(PrintWriter o, OperatorProfile p) {
        o.printf(Locale.ROOT, "%nprofile of %s: %.2f ms of node time per tile (%d runs)%n", p.model(), p.nodeMsPerTile(), p.runs());
        o.printf(Locale.ROOT, "  %-26s %10s %7s %6s%n", "operator", "ms/tile", "share", "nodes");
        p.msPerOperator().forEach((op, ms) -> o.printf(Locale.ROOT, "  %-26s %10.3f %6.1f%% %6d%n", op, ms, 100 * ms / p.nodeMsPerTile(),
                p.nodesPerOperator().getOrDefault(op, 0)));
        o.printf(Locale.ROOT, "  %-36s %10s %7s%n", "layer (top " + top + ")", "ms/tile", "share");
        p.msPerLayer().entrySet().stream().limit(top).forEach(e -> o.printf(Locale.ROOT, "  %-36s %10.3f %6.1f%%%n", e.getKey(), e.getValue(),
                100 * e.getValue() / p.nodeMsPerTile()));
    }

    /**
     * For each model after the first: its speedup over the first, the speedup its graph FLOPs allow, and the
     * share realised ({@link FlopsCutRealised}), the graphs' FLOPs counted at their patch.
     */
    private static void printRealisedShares(PrintWriter o, List<BenchResult> results) {
        if (results.size() < 2) {
            return;
        }
        double firstFlops = results.get(0).graphTrueFlops();
        for (BenchResult r : results.subList(1, results.size())) {
            double flops = r.graphTrueFlops();
            o.printf(Locale.ROOT, "%s: speedup %.2fx over the first, its FLOPs allow %.2fx: %.0f%% of the FLOPs cut realised%n", r.model(),
                    1 / r.ratioToFirst(), firstFlops / flops, 100 * FlopsCutRealised.share(r.ratioToFirst(), flops / firstFlops));
        }
    }
}
