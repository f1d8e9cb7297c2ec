package org.e2enet.exporter;

import java.util.Arrays;
import org.e2enet.core.bundle.ModelBundle;
import org.e2enet.core.safetensors.Tensor;
import org.e2enet.core.spec.Layer;

/**
 * A bundle's weights cut to what a lowered layer stores: the mask applied, then only the output channels it computes
 * and the input channels it reads, in the layout its ONNX operator takes.
 */
final class PrunedWeights {
    private final ModelBundle bundle;

    PrunedWeights(ModelBundle bundle) {
        this.bundle = bundle;
    }

    /** The weight with its mask applied (masked kernels exactly zero). */
    float[] masked(Layer l) {
        float[] w = bundle.weights().tensors().get(l.weightName()).floats();
        Tensor mask = bundle.masks().tensors().get(l.maskName());
        if (mask != null) {
            int kvol = l.kernelVolume();
            byte[] m = mask.data();
            for (int k = 0; k < m.length; k++) {
                if (m[k] == 0) {
                    Arrays.fill(w, k * kvol, (k + 1) * kvol, 0f);
                }
            }
        }
        return w;
    }

    /** The per-channel tensor {@code name} (a bias or norm parameter) at the {@code outputs} channels. */
    float[] perChannel(String name, int[] outputs) {
        return rows(bundle.weights().tensors().get(name).floats(), outputs, 1);
    }

    /** A conv's masked weight [out][in][k] at the {@code outputs} channels, every input kept. */
    float[] outputRows(Layer l, int[] outputs) {
        return rows(masked(l), outputs, l.inChannels() * l.kernelVolume());
    }

    /**
     * A conv's masked weight at the {@code outputs} channels and, for each, the inputs {@code c} reads: [out][k inputs][k],
     * where an output of group {@code o / (out channels / groups)} reads that group's inputs.
     */
    float[] gathered(Layer l, LoweringChoice c, int[] outputs) {
        float[] w = masked(l);
        int ins = l.inChannels();
        int kvol = l.kernelVolume();
        int groups = c.inputs().length;
        int k = c.inputs()[0].length;
        int per = l.outChannels() / groups;
        float[] sub = new float[outputs.length * k * kvol];
        for (int r = 0; r < outputs.length; r++) {
            int o = outputs[r];
            int[] in = c.inputs()[groups == 1 ? 0 : o / per];
            for (int j = 0; j < k; j++) {
                System.arraycopy(w, (o * ins + in[j]) * kvol, sub, (r * k + j) * kvol, kvol);
            }
        }
        return sub;
    }

    /** A transposed conv's masked weight, laid out (in, out, taps), at the {@code inputs} and {@code outputs} channels. */
    float[] transposed(Layer l, int[] inputs, int[] outputs) {
        float[] w = masked(l);
        int outs = l.outChannels();
        int kvol = l.kernelVolume();
        float[] sub = new float[inputs.length * outputs.length * kvol];
        for (int j = 0; j < inputs.length; j++) {
            for (int o = 0; o < outputs.length; o++) {
                System.arraycopy(w, (inputs[j] * outs + outputs[o]) * kvol, sub, (j * outputs.length + o) * kvol, kvol);
            }
        }
        return sub;
    }

    /**
     * A transposed conv's weight [inputs][outputs][taps] as the weight of a 1x1x1 Conv to (output, tap) channels:
     * [outputs x taps][inputs].
     */
    static float[] tapsAsOutputs(float[] sub, int inputs, int outputs, int taps) {
        float[] w = new float[outputs * taps * inputs];
        for (int i = 0; i < inputs; i++) {
            for (int o = 0; o < outputs; o++) {
                for (int t = 0; t < taps; t++) {
                    w[(o * taps + t) * inputs + i] = sub[(i * outputs + o) * taps + t];
                }
            }
        }
        return w;
    }

    /** The rows {@code outputs} of {@code a}, each {@code width} values long ({@code a} itself when that is all of them). */
    private static float[] rows(float[] a, int[] outputs, int width) {
        if (outputs.length * width == a.length) {
            return a;
        }
        float[] out = new float[outputs.length * width];
        for (int r = 0; r < outputs.length; r++) {
            System.arraycopy(a, outputs[r] * width, out, r * width, width);
        }
        return out;
    }
}
