package org.e2enet.cli;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.e2enet.devices.GpuStack;
import org.e2enet.devices.NativeLibrary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code e2enet devices}: the GPU stack this machine has against the one this build needs, and ONNX Runtime's providers. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "What this machine offers the GPU backends, read from the file system (nothing is loaded, nothing needs a GPU): "
                + "the CUDA runtime, cuBLAS, cuDNN and TensorRT libraries found (LD_LIBRARY_PATH and the usual library directories) "
                + "and the NVIDIA driver version, checked in one line against the stack this build needs ("
                + GpuStack.EXPECTED + "); and the execution providers of the loaded ONNX Runtime build.",
        footer = {"", "Examples:", "  e2enet devices", "  e2enet devices --json"})
final class DevicesCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print JSON with keys gpuStack (libraries, driverVersion, mismatches, summary) and ortProviders.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec cmd;

    @Override
    public Integer call() {
        GpuStack stack = GpuStack.scan();
        List<String> providers = OrtEnvironment.getAvailableProviders().stream().map(OrtProvider::getName).sorted().toList();
        PrintWriter o = cmd.commandLine().getOut();
        if (json) {
            Map<String, Object> gpu = new LinkedHashMap<>();
            Map<String, Object> libs = new LinkedHashMap<>();
            for (NativeLibrary l : stack.libraries().values()) {
                Map<String, String> lib = new LinkedHashMap<>();
                lib.put("name", l.name());
                lib.put("version", l.versionText());
                lib.put("file", l.file());
                libs.put(l.soname(), lib);
            }
            gpu.put("libraries", libs);
            gpu.put("driverVersion", stack.driverVersion());
            gpu.put("mismatches", stack.mismatches());
            gpu.put("summary", stack.summary());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("gpuStack", gpu);
            out.put("ortProviders", providers);
            o.println(Json.write(out));
        } else {
            o.println(stack.summary());
            for (NativeLibrary l : stack.libraries().values()) {
                o.printf("  %-22s %-12s %s%n", l.name(), l.versionText(), l.file());
            }
            o.println("ONNX Runtime providers in this build: " + String.join(", ", providers));
        }
        o.flush();
        return 0;
    }
}
