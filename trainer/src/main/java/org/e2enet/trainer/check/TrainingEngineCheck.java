package org.e2enet.trainer.check;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.e2enet.core.check.EngineCheck;
import org.e2enet.core.check.EngineCheckFailedException;
import org.e2enet.core.check.EngineCheckReport;
import org.e2enet.core.check.NetworkOps;
import org.e2enet.core.check.OpCase;
import org.e2enet.core.check.OpKind;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.devices.CpuInfo;
import org.e2enet.trainer.nn.ConvMode;

/**
 * The training engine proves itself before training: every operation of the network at its real channel
 * counts, kernels and strides, forward and backward, against the float64 reference (docs/engine-check.md),
 * and the convolution mode chosen from what computes right here.
 */
public final class TrainingEngineCheck {
    private TrainingEngineCheck() {
    }

    /**
     * The outcome of choosing a convolution mode.
     *
     * @param mode the concrete mode training runs
     * @param reports the checks made, the chosen mode's last
     */
    public record Choice(ConvMode mode, List<EngineCheckReport> reports) {
        /** The chosen mode's check. */
        public EngineCheckReport chosen() {
            return reports.get(reports.size() - 1);
        }
    }

    /** The engine's name in reports: {@code PyTorch 2.7.1 (cpu, oneDNN ISA cap AVX2), conv3d-padded}. */
    public static String engineName(ConvMode mode, Device device) {
        String cap = System.getenv("DNNL_MAX_CPU_ISA");
        return "PyTorch " + Engine.getInstance().getVersion() + " (" + device.getDeviceType()
                + (cap == null || cap.isBlank() ? "" : ", oneDNN ISA cap " + cap) + "), " + mode.label();
    }

    /** Checks {@code ops} on the training engine running its convolutions as {@code mode} (a concrete mode). */
    public static EngineCheckReport run(List<OpCase> ops, ConvMode mode, Device device) {
        return EngineCheck.run(engineName(mode, device), ops, new TorchOpEngine(mode, device), true);
    }

    /**
     * The mode to train {@code spec} with: {@code requested} if it is concrete and computes right, else, for
     * {@link ConvMode#AUTO}, the first of {@link ConvMode#candidates()} that does.
     *
     * @throws EngineCheckFailedException (one line naming the operation, the error and the CPU) when none does
     */
    public static Choice choose(ModelSpec spec, ConvMode requested, Device device) {
        return choose(NetworkOps.of(spec), requested, device);
    }

    /** {@link #choose(ModelSpec, ConvMode, Device)} for any list of operations (several networks' at once). */
    public static Choice choose(List<OpCase> ops, ConvMode requested, Device device) {
        List<ConvMode> modes = requested == ConvMode.AUTO ? ConvMode.candidates() : List.of(requested);
        List<EngineCheckReport> reports = new ArrayList<>();
        for (ConvMode mode : modes) {
            EngineCheckReport r = run(ops, mode, device);
            reports.add(r);
            if (r.passed()) {
                return new Choice(mode, reports);
            }
        }
        EngineCheckReport last = reports.get(reports.size() - 1);
        boolean convOnly = last.failures().stream().allMatch(f -> f.op().kind() == OpKind.CONV);
        String cap = System.getenv("DNNL_MAX_CPU_ISA");
        String advice = !convOnly ? "the convolution mode does not change that operation"
                : requested != ConvMode.AUTO ? "--conv auto chooses a mode that computes right"
                : "no convolution mode computes right here (tried " + String.join(", ", modes.stream().map(ConvMode::label).toList()) + ")";
        if (!"AVX2".equalsIgnoreCase(cap) && (requested == ConvMode.AUTO || !convOnly)) {
            advice += "; DNNL_MAX_CPU_ISA=AVX2, set before the JVM starts (bin/e2enet does), makes oneDNN right on CPUs like this one";
        }
        throw new EngineCheckFailedException(String.format(Locale.ROOT, "the training engine computes wrong numbers on this CPU (%s): "
                + "%s; refusing to train; %s", cpu(), last.summary(), advice), last);
    }

    /** This CPU in a few words: model and the instruction-set flags that change kernel choice. */
    public static String cpu() {
        try {
            CpuInfo c = CpuInfo.read();
            return c.model() + (c.flags().isEmpty() ? "" : ", " + String.join(" ", c.flags()));
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch") + ", /proc/cpuinfo unreadable";
        }
    }
}
