package org.e2enet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.e2enet.core.volume.Shape3;
import org.e2enet.runtime.BenchResult;
import org.e2enet.runtime.Benchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code e2enet bench}: latency and throughput of exported models, in one run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure exported models in one run: latency of one patch-sized tile (median and 10th/90th percentiles "
                + "after 2 warm-ups, ratio to the first model), whole-volume voxels/s and the process's peak memory.",
        footer = {"", "Examples:",
            "  e2enet bench --onnx models/dense.onnx --onnx models/pruned.onnx --runs 20",
            "  e2enet bench --onnx models/tiny.onnx --volume 64 160 160 --threads 2 --json"})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--onnx", required = true, description = "Model(s) to measure; ratios are against the first.")
    List<Path> models;

    @CommandLine.Mixin
    BackendMixin backend;

    @Option(names = "--runs", defaultValue = "10", description = "Timed runs per model. Default: ${DEFAULT-VALUE}.")
    int runs;

    @Option(names = "--volume", arity = "3", paramLabel = "N", description = "Whole-volume size D H W for the throughput figure.")
    int[] volume;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec cmd;

    @Override
    public Integer call() {
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be >= 1");
        }
        List<BenchResult> results = Benchmark.run(models, backend.backend, backend.options(1), runs, volume == null ? null : Shape3.of(volume));
        PrintWriter o = cmd.commandLine().getOut();
        if (json) {
            o.println(Json.write(results));
        } else {
            o.printf(Locale.ROOT, "%-40s %-8s %10s %10s %10s %8s %14s %10s%n", "model", "backend", "tile ms", "p10", "p90", "ratio",
                    "volume vox/s", "peak MiB");
            for (BenchResult r : results) {
                o.printf(Locale.ROOT, "%-40s %-8s %10.2f %10.2f %10.2f %8.3f %14.4g %10d%n", r.model(), r.backend(), r.tileMedianMs(),
                        r.tileP10Ms(), r.tileP90Ms(), r.ratioToFirst(), r.volumeVoxelsPerSecond(), r.peakRssMiB());
            }
        }
        o.flush();
        return 0;
    }
}
