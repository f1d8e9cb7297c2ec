package org.e2enet.exporter;

import org.e2enet.core.onnx.ExportReport;

/**
 * Estimated ONNX Runtime CPU time of a lowered layer: convolution FLOPs at a measured throughput, plus the
 * elements a Gather copies, with grouped convolutions running at a measured fraction of dense throughput.
 * The constants were measured on the project's 2-core machine (AMD EPYC) with ONNX Runtime 1.28.0 (2 intra-op
 * threads, spinning off) by {@code ExportBenchmark} in the runtime's tests, 2026-12-01: a 96-&gt;48 (1,3,3) conv on
 * 32x64x64 ran at 1.69e8 FLOP/ms, a Gather of 19 channels copied 1.19e7 elements/ms, a 4-group conv reached 0.60 of
 * dense throughput (ONNX Runtime 1.19.2 had given 1.14e8, 2.6e6 and 0.49). A target machine's constants are measured
 * there by the runtime's {@code bench/CostModelMeasurement} ({@code e2enet devices --save --measure}).
 *
 * @param convFlopsPerMs dense convolution throughput
 * @param gatherElementsPerMs Gather throughput (float elements copied)
 * @param groupedEfficiency grouped convolution throughput as a fraction of dense
 */
public record CostModel(double convFlopsPerMs, double gatherElementsPerMs, double groupedEfficiency) {
    /** Constants measured on the project machine (see the class comment). */
    public static final CostModel MEASURED = new CostModel(1.69e8, 1.19e7, 0.60);

    /** The constants as the export report records them. */
    public ExportReport.CostConstants constants() {
        return new ExportReport.CostConstants(convFlopsPerMs, gatherElementsPerMs, groupedEfficiency);
    }

    /** Estimated milliseconds of a convolution of {@code flops}. */
    public double conv(double flops, boolean grouped) {
        return flops / (convFlopsPerMs * (grouped ? groupedEfficiency : 1));
    }

    /** Estimated milliseconds of gathering {@code elements} floats. */
    public double gather(double elements) {
        return elements / gatherElementsPerMs;
    }
}
