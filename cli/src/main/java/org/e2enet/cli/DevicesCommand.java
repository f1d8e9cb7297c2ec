package org.e2enet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.e2enet.core.io.AtomicFiles;
import org.e2enet.devices.DeviceProfile;
import org.e2enet.devices.GpuInfo;
import org.e2enet.devices.GpuStack;
import org.e2enet.devices.Machine;
import org.e2enet.devices.NativeLibrary;
import org.e2enet.exporter.CostModel;
import org.e2enet.exporter.CostModelMeasurement;
import org.e2enet.runtime.OrtProviders;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code e2enet devices}: what this machine offers a deployment. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "What this machine offers a deployment, read from the machine (no network; never fails without a GPU): the CPU "
                + "(model, cores, the instruction-set flags that change kernel choice), memory (and a cgroup limit), NVIDIA GPUs "
                + "(nvidia-smi), the CUDA runtime, cuBLAS, cuDNN and TensorRT libraries and driver found, checked in one line against the "
                + "stack this build needs (" + GpuStack.EXPECTED + "), and the ONNX Runtime providers offered and initialising here.",
        footer = {"", "Examples:", "  e2enet devices", "  e2enet devices --json",
            "  e2enet devices --save hospital-ct-01.json --measure --threads 8   # then: e2enet export ... --device-profile hospital-ct-01.json"})
final class DevicesCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print JSON with keys cpu, memory, gpus, gpuAbsentReason, libraries, gpuStack and ortProviders.")
    boolean json;

    @Option(names = "--save", description = "Also write this machine's device profile (format e2enet-device/1) to FILE, for "
            + "'e2enet export --device-profile'.", paramLabel = "FILE")
    Path save;

    @Option(names = "--measure", description = "With --save: measure the exporter's cost-model constants here (dense conv and gather "
            + "throughput, grouped-conv efficiency, and the speed of the same conv in explicit INT8 against FP32; about 15 s).")
    boolean measure;

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
            stack.put("mismatches", m.gpuStack().mismatches());
            stack.put("summary", m.gpuStack().summary());
            out.put("gpuStack", stack);
            out.put("ortProviders", providers);
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
        }
        if (save != null) {
            CostModel cost = measure ? CostModelMeasurement.measure(threads.count(), 7) : null;
            Double int8 = measure ? CostModelMeasurement.int8SpeedFactor(threads.count(), 7) : null;
            new DeviceProfile(DeviceProfile.FORMAT, m, cost == null ? null : cost.constants(), measure ? threads.count() : 0, int8).write(save);
            o.printf(Locale.ROOT, "wrote %s%s%n", save, cost == null ? " (no cost-model constants: add --measure)" : String.format(Locale.ROOT,
                    " (cost model measured with %d threads: conv %.3g FLOP/ms, gather %.3g elements/ms, grouped efficiency %.2f; INT8 "
                    + "conv %.2fx the FP32 speed)", threads.count(), cost.convFlopsPerMs(), cost.gatherElementsPerMs(), cost.groupedEfficiency(),
                    int8));
        }
        o.flush();
        return 0;
    }
}
