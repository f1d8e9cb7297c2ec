package org.e2enet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.e2enet.core.check.EngineCheckReport;
import org.e2enet.core.check.NetworkOps;
import org.e2enet.core.check.OpCase;
import org.e2enet.core.io.AtomicFiles;
import org.e2enet.core.onnx.E2eNetOnnx;
import org.e2enet.core.onnx.ExportReport;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.spec.Presets;
import org.e2enet.devices.DeviceProfile;
import org.e2enet.devices.GpuInfo;
import org.e2enet.devices.GpuMismatch;
import org.e2enet.devices.GpuStack;
import org.e2enet.devices.Machine;
import org.e2enet.devices.NativeLibrary;
import org.e2enet.runtime.bench.CostModelMeasurement;
import org.e2enet.runtime.Backend;
import org.e2enet.runtime.BackendOptions;
import org.e2enet.runtime.engine.InferenceEngineCheck;
import org.e2enet.runtime.engine.OrtProviders;
import org.e2enet.trainer.check.TrainingEngineCheck;
import org.e2enet.trainer.nn.ConvMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code e2enet devices}: what this machine offers a deployment. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "What this machine offers a deployment, read from the machine (no network; never fails without a GPU): the CPU "
                + "(model, cores, the instruction-set flags that change kernel choice), memory (and a cgroup limit), NVIDIA GPUs "
                + "(nvidia-smi), the CUDA runtime, cuBLAS, cuDNN and TensorRT libraries and driver found, checked in one line against the "
                + "stack this build needs (" + GpuStack.EXPECTED + "), the ONNX Runtime providers offered and initialising here, and the "
                + "engine checks: every operation of a network (the quickstart's tiny one unless --preset, --spec or --model says) run by "
                + "the training engine in each convolution mode (forward, input and weight gradients) and by ONNX Runtime on each backend "
                + "that initialises (forward), against a float64 reference (docs/engine-check.md).",
        footer = {"", "Examples:", "  e2enet devices", "  e2enet devices --json", "  e2enet devices --preset amos --model out/pruned.onnx",
            "  e2enet devices --save hospital-ct-01.json --measure --threads 8   # then: e2enet export ... --device-profile hospital-ct-01.json"})
final class DevicesCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print JSON with keys cpu, memory, gpus, gpuAbsentReason, libraries, gpuStack, ortProviders, "
            + "trainingEngineCheck and inferenceEngineCheck.")
    boolean json;

    @Option(names = "--save", description = "Also write this machine's device profile (format e2enet-device/1) to FILE, for "
            + "'e2enet export --device-profile'.", paramLabel = "FILE")
    Path save;

    @Option(names = "--measure", description = "With --save: measure the exporter's cost-model constants here (dense conv and gather "
            + "throughput, grouped-conv efficiency, and the speed of the same conv in explicit INT8 against FP32; about 15 s).")
    boolean measure;

    @Option(names = "--preset", defaultValue = "tiny", description = "The network whose operations the training-engine check covers "
            + "(and the inference-engine check without --model). Default: ${DEFAULT-VALUE} (the quickstart's channels).")
    String preset;

    @Option(names = "--spec", description = "A spec JSON file instead of --preset.", paramLabel = "FILE")
    Path specFile;

    @Option(names = "--model", description = "An exported model: the inference-engine check covers its own (pruned) operation shapes.",
            paramLabel = "FILE.onnx")
    Path model;

    @CommandLine.Mixin
    ThreadsOption threads;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec cmd;

    @Override
    public Integer call() throws IOException {
        if (measure && save == null) {
            throw new IllegalArgumentException("--measure needs --save FILE");
        }
        if (save != null) {
            AtomicFiles.requireWritable(save);
        }
        Machine m = Machine.discover();
        List<OrtProviders.Status> providers = OrtProviders.probe();
        ModelSpec spec = specFile != null ? ModelSpec.read(specFile) : Presets.get(preset);
        List<OpCase> specOps = NetworkOps.of(spec);
        List<ConvMode> modes = List.of(ConvMode.CONV3D, ConvMode.CONV3D_PADDED, ConvMode.CONV2D);
        List<EngineCheckReport> training = new ArrayList<>();
        String trainingError = null;
        try {
            for (ConvMode mode : modes) {
                training.add(TrainingEngineCheck.run(specOps, mode, ai.djl.Device.cpu()));
            }
        } catch (RuntimeException | LinkageError e) {
            training.clear();
            trainingError = "the training engine cannot run here: " + firstLine(e);
        }
        ConvMode auto = null;
        for (int i = 0; i < training.size(); i++) {
            if (auto == null && ConvMode.candidates().contains(modes.get(i)) && training.get(i).passed()) {
                auto = modes.get(i);
            }
        }
        NetworkOps.GraphOps graph = model == null ? null : NetworkOps.of(E2eNetOnnx.read(model));
        List<OpCase> inferenceOps = graph == null ? specOps : graph.ops();
        List<String> inferenceColumns = new ArrayList<>();
        List<EngineCheckReport> inference = new ArrayList<>();
        List<String> inferenceErrors = new ArrayList<>();
        for (Backend b : InferenceEngineCheck.backendsHere(providers)) {
            try {
                inference.add(InferenceEngineCheck.run(inferenceOps, b, BackendOptions.cpu(threads.count())));
                inferenceColumns.add(b.label());
            } catch (RuntimeException e) {
                inferenceErrors.add(b.label() + ": the check could not run (" + firstLine(e) + ")");
            }
        }
        String network = specFile != null ? specFile.toString() : "preset " + preset;
        String source = (model != null ? model.toString() : network)
                + (graph != null && graph.skippedNodes() > 0 ? "; " + graph.skippedNodes() + " grouped or asymmetric nodes not covered" : "");
        PrintWriter o = cmd.commandLine().getOut();
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("cpu", m.cpu());
            out.put("memory", m.memory());
            out.put("gpus", m.gpus());
            out.put("gpuAbsentReason", m.gpuAbsentReason());
            Map<String, Object> libs = new LinkedHashMap<>();
            for (NativeLibrary l : m.gpuStack().libraries().values()) {
                Map<String, String> lib = new LinkedHashMap<>();
                lib.put("name", l.name());
                lib.put("version", l.versionText());
                lib.put("file", l.file());
                libs.put(l.soname(), lib);
            }
            out.put("libraries", libs);
            Map<String, Object> stack = new LinkedHashMap<>();
            stack.put("driverVersion", m.gpuStack().driverVersion());
            stack.put("mismatches", m.gpuStack().mismatches().stream().map(GpuMismatch::message).toList());
            stack.put("summary", m.gpuStack().summary());
            out.put("gpuStack", stack);
            out.put("ortProviders", providers);
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("network", network);
            check.put("autoChoice", auto == null ? null : auto.label());
            check.put("error", trainingError);
            check.put("modes", training.stream().map(EngineCheckTable::json).toList());
            out.put("trainingEngineCheck", check);
            Map<String, Object> inf = new LinkedHashMap<>();
            inf.put("network", source);
            inf.put("backends", inference.stream().map(EngineCheckTable::json).toList());
            inf.put("errors", inferenceErrors);
            out.put("inferenceEngineCheck", inf);
            o.println(Json.write(out));
        } else {
            o.printf(Locale.ROOT, "cpu      %s: %d logical / %d physical cores; flags %s%n", m.cpu().model(), m.cpu().logicalCores(),
                    m.cpu().physicalCores(), m.cpu().flags().isEmpty() ? "(none of interest)" : String.join(" ", m.cpu().flags()));
            o.printf(Locale.ROOT, "memory   %.1f GiB total, %.1f GiB available%s%n", m.memory().totalBytes() / 1073741824.0,
                    m.memory().availableBytes() / 1073741824.0, m.memory().limitBytes() == null ? ""
                            : String.format(Locale.ROOT, ", cgroup limit %.1f GiB", m.memory().limitBytes() / 1073741824.0));
            if (m.gpus().isEmpty()) {
                o.println("gpus     none: " + m.gpuAbsentReason());
            }
            for (GpuInfo g : m.gpus()) {
                o.printf(Locale.ROOT, "gpu %d    %s, compute %s, %.1f GiB, driver %s%n", g.index(), g.name(), g.computeCapability(),
                        g.memoryBytes() / 1073741824.0, g.driverVersion());
            }
            o.println(m.gpuStack().summary());
            for (NativeLibrary l : m.gpuStack().libraries().values()) {
                o.printf("  %-22s %-12s %s%n", l.name(), l.versionText(), l.file());
            }
            for (OrtProviders.Status p : providers) {
                o.printf("ort      %-26s %s%n", p.name(), p.initialises() ? "initialises" : (p.offered() ? "offered, " : "") + p.reason());
            }
            if (trainingError != null) {
                o.println("training engine check (" + network + "): " + trainingError);
            } else {
                EngineCheckTable.print(o, "training engine check (" + network + "; train --conv auto "
                        + (auto == null ? "refuses: no mode computes right here" : "uses " + auto.label()) + "):",
                        modes.stream().map(ConvMode::label).toList(), training);
            }
            EngineCheckTable.print(o, "inference engine check (" + source + "):", inferenceColumns, inference);
            inferenceErrors.forEach(e -> o.println("  " + e));
        }
        if (save != null) {
            ExportReport.CostConstants cost = measure ? CostModelMeasurement.measure(threads.count(), 7) : null;
            Double int8 = measure ? CostModelMeasurement.int8SpeedFactor(threads.count(), 7) : null;
            new DeviceProfile(DeviceProfile.FORMAT, m, cost, measure ? threads.count() : 0, int8).write(save);
            o.printf(Locale.ROOT, "wrote %s%s%n", save, cost == null ? " (no cost-model constants: add --measure)" : String.format(Locale.ROOT,
                    " (cost model measured with %d threads: conv %.3g FLOP/ms, gather %.3g elements/ms, grouped efficiency %.2f; INT8 "
                    + "conv %.2fx the FP32 speed)", threads.count(), cost.convFlopsPerMs(), cost.gatherElementsPerMs(), cost.groupedEfficiency(),
                    int8));
        }
        o.flush();
        return 0;
    }

    private static String firstLine(Throwable e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
    }
}
