package org.e2enet.calibration;

import java.util.List;
import org.e2enet.core.onnx.ModelPrecision;

/**
 * What {@code e2enet calibrate} was asked for; {@link #builder} holds the defaults.
 *
 * @param precision FP16 or INT8
 * @param method how activation ranges are chosen (INT8)
 * @param scheme how activations are stored (INT8)
 * @param cases at most this many calibration cases
 * @param tiles at most this many calibration tiles
 * @param maxDiceDropPoints the gate's limit, in Dice points (0.5 = 0.005 Dice)
 * @param keepFp32 layers or nodes to leave in FP32 (layer names such as {@code loc0.4.1.blocks.0}, or node names)
 * @param autoKeep on a failed gate, put the most sensitive layers back to FP32 until it passes
 * @param fp32WhereFaster (INT8) profile every layer in FP32 and INT8 on this machine's ONNX Runtime CPU and leave
 *     FP32 the convolutions whose INT8 layer is not faster
 * @param threads ONNX Runtime CPU threads
 */
public record CalibrationOptions(ModelPrecision precision, RangeMethod method, ActivationScheme scheme, int cases, int tiles,
                                 double maxDiceDropPoints, List<String> keepFp32, boolean autoKeep, boolean fp32WhereFaster, int threads) {
    /** Validates. */
    public CalibrationOptions {
        if (precision == null || precision == ModelPrecision.FP32) {
            throw new IllegalArgumentException("--precision must be int8 or fp16");
        }
        if (cases < 1 || tiles < 1 || threads < 1) {
            throw new IllegalArgumentException("--cases, --tiles and --threads must be at least 1");
        }
        if (!(maxDiceDropPoints >= 0)) {
            throw new IllegalArgumentException("--max-dice-drop must be a number >= 0");
        }
        keepFp32 = List.copyOf(keepFp32);
    }

    /**
     * Options for {@code precision} with {@code e2enet calibrate}'s defaults: percentile ranges, u8 activations, 8 cases,
     * 32 tiles, a gate of 0.5 Dice points, nothing kept in FP32 by name or on a failed gate, FP32 where INT8 is not
     * faster, and every CPU's thread.
     */
    public static Builder builder(ModelPrecision precision) {
        return new Builder(precision);
    }

    /** Builds {@link CalibrationOptions}; each setting left alone keeps its default. */
    public static final class Builder {
        private final ModelPrecision precision;
        private RangeMethod method = RangeMethod.PERCENTILE;
        private ActivationScheme scheme = ActivationScheme.U8;
        private int cases = 8;
        private int tiles = 32;
        private double maxDiceDropPoints = 0.5;
        private List<String> keepFp32 = List.of();
        private boolean autoKeep;
        private boolean fp32WhereFaster = true;
        private int threads = Runtime.getRuntime().availableProcessors();

        private Builder(ModelPrecision precision) {
            this.precision = precision;
        }

        /** How INT8 activation ranges are chosen. */
        public Builder method(RangeMethod value) {
            method = value;
            return this;
        }

        /** How INT8 activations are stored. */
        public Builder scheme(ActivationScheme value) {
            scheme = value;
            return this;
        }

        /** At most this many calibration cases. */
        public Builder cases(int value) {
            cases = value;
            return this;
        }

        /** At most this many calibration tiles. */
        public Builder tiles(int value) {
            tiles = value;
            return this;
        }

        /** The gate's limit, in Dice points (0.5 = 0.005 Dice). */
        public Builder maxDiceDropPoints(double value) {
            maxDiceDropPoints = value;
            return this;
        }

        /** Layers or nodes to leave in FP32. */
        public Builder keepFp32(List<String> value) {
            keepFp32 = value;
            return this;
        }

        /** On a failed gate, put the most sensitive layers back to FP32 until it passes. */
        public Builder autoKeep(boolean on) {
            autoKeep = on;
            return this;
        }

        /** (INT8) leave FP32 the convolutions whose INT8 layer is not faster on this machine. */
        public Builder fp32WhereFaster(boolean on) {
            fp32WhereFaster = on;
            return this;
        }

        /** ONNX Runtime CPU threads. */
        public Builder threads(int value) {
            threads = value;
            return this;
        }

        /** The options, validated. */
        public CalibrationOptions build() {
            return new CalibrationOptions(precision, method, scheme, cases, tiles, maxDiceDropPoints, keepFp32, autoKeep, fp32WhereFaster,
                    threads);
        }
    }
}
