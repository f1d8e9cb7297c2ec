package org.e2enet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.e2enet.core.io.AtomicFiles;
import org.e2enet.devices.DeploymentPlanner;
import org.e2enet.devices.DeploymentProfile;
import org.e2enet.devices.ModelVariants;
import org.e2enet.runtime.engine.AutoBackend;
import org.e2enet.runtime.Backend;
import org.e2enet.runtime.BackendOptions;
import org.e2enet.runtime.bench.TileTimer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code e2enet plan}: measures the deployment candidates on this machine and writes the fastest as a profile. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Measure, on this machine, each model variant x each backend that discovery does not rule out x CPU threads "
                + "(1, half and all cores) x tile batch (1, 2), within the time budget, and write the fastest as a deployment profile "
                + "(model with its SHA-256, backend, precision, threads, batch, tile ms, and every candidate). A reduced-precision model "
                + "takes part only when its calibration report says its accuracy gate passed; FP32 models always do. "
                + "Use the profile with 'e2enet predict --deployment'.",
        footer = {"", "Examples:",
            "  e2enet plan --onnx models/dense.onnx --onnx models/pruned.onnx --out deployment.json",
            "  e2enet plan --onnx m.onnx --onnx m-int8.onnx --out deployment.json --seconds 120 --json"})
final class PlanCommand implements Callable<Integer> {
    @Option(names = "--onnx", required = true, description = "Model variant(s) to consider (FP32, pruned, dense, calibrated ...).")
    List<Path> models;

    @Option(names = "--out", required = true, description = "The deployment profile to write (JSON).")
    Path out;

    @Option(names = "--seconds", defaultValue = "60", description = "Time budget for measuring; the first candidate is always measured. "
            + "Default: ${DEFAULT-VALUE}.")
    double seconds;

    @Option(names = "--runs", defaultValue = "3", description = "Timed runs per candidate (after 2 warm-ups). Default: ${DEFAULT-VALUE}.")
    int runs;

    @Option(names = "--json", description = "Print the profile as JSON.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec cmd;

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || seconds < 0) {
            throw new IllegalArgumentException("--runs must be >= 1 and --seconds >= 0");
        }
        AtomicFiles.requireWritable(out);
        List<DeploymentPlanner.Variant> variants = new ArrayList<>();
        for (Path m : models) {
            variants.add(ModelVariants.of(m.toAbsolutePath().normalize()));
        }
        int cores = Runtime.getRuntime().availableProcessors();
        List<Integer> threads = new ArrayList<>(new LinkedHashSet<>(List.of(1, Math.max(1, cores / 2), cores)));
        List<String> backends = AutoBackend.worthTrying().stream().map(Backend::label).toList();
        DeploymentProfile p = DeploymentPlanner.plan(variants, backends, threads, List.of(1, 2), (long) (seconds * 1e9),
                new TileTimer(runs, BackendOptions.cpu(1)));
        p.write(out);
        PrintWriter o = cmd.commandLine().getOut();
        if (json) {
            o.println(p.toJson());
        } else {
            o.printf("%-48s %-9s %-6s %7s %5s %10s  %s%n", "model", "backend", "prec", "threads", "batch", "tile ms", "note");
            for (DeploymentProfile.Candidate c : p.candidates()) {
                o.printf(Locale.ROOT, "%-48s %-9s %-6s %7d %5d %10s  %s%n", c.model(), c.backend(), c.precision(), c.threads(), c.batch(),
                        c.tileMs() == null ? "-" : String.format(Locale.ROOT, "%.2f", c.tileMs()), c.note() == null ? "" : c.note());
            }
            o.printf(Locale.ROOT, "chose %s on %s, %d threads, batch %d: %.2f ms per tile; wrote %s%n", p.model(), p.backend(), p.threads(),
                    p.batch(), p.tileMs(), out);
        }
        o.flush();
        return 0;
    }
}
