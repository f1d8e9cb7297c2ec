package org.e2enet.core.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.e2enet.core.io.JsonDocuments;

/**
 * The export report ({@code {model}.export.json} beside the model): per layer the lowering chosen and why, and
 * the totals counted from the final graph next to the accounting's figures. The exporter writes it, parity
 * and the reports read it.
 *
 * @param format always {@value #FORMAT}
 * @param model the ONNX file
 * @param bundle the bundle exported
 * @param lowering how masked layers were lowered ({@code auto} or {@code dense} in the file)
 * @param spatial whether D, H, W are fixed or symbolic ({@code fixed} or {@code dynamic} in the file)
 * @param patchSize the (d, h, w) patch the FLOPs are counted for (batch 1)
 * @param graphTrueFlops 2 x multiply-adds of the graph's convolutions, counted from the graph
 * @param loweredTrueFlops 2 x multiply-adds the chosen lowerings should execute (sum over the layers' records)
 * @param expectedTrueFlops the accounting's true FLOPs of the inference network (masked model, head 0 only);
 *     a pruned graph can compute less, because transposed convs produce only the channels their fusion conv reads
 * @param denseTrueFlops the same with every kernel active
 * @param paperFlops the accounting's paper FLOPs (Eq. 5, all heads)
 * @param graphParams float values stored in the graph
 * @param accountingParams the accounting's params (Eq. 4, all heads)
 * @param costModel the constants of the cost model the lowerings were chosen by
 * @param layers per layer
 * @param digests SHA-256 of every initializer and of the bundle tensors it came from (as in the model's metadata)
 */
public record ExportReport(String format, String model, String bundle, LoweringPolicy lowering, Spatial spatial, int[] patchSize,
                           long graphTrueFlops, long loweredTrueFlops, long expectedTrueFlops, long denseTrueFlops, long paperFlops,
                           long graphParams, long accountingParams, CostConstants costModel, List<LayerExport> layers,
                           WeightDigests digests) {
    /** Report format tag. */
    public static final String FORMAT = "e2enet-export/1";
    private static final String SUFFIX = ".export.json";

    /**
     * The cost model's constants.
     *
     * @param convFlopsPerMs dense convolution throughput
     * @param gatherElementsPerMs Gather throughput (float elements copied)
     * @param groupedEfficiency grouped convolution throughput as a fraction of dense
     */
    public record CostConstants(double convFlopsPerMs, double gatherElementsPerMs, double groupedEfficiency) {
    }

    /** The report's path beside a model: {@code x.onnx} -&gt; {@code x.export.json}. */
    public static Path besideModel(Path model) {
        return OnnxContract.besideModel(model, SUFFIX);
    }

    /** Writes the report atomically. */
    public void write(Path file) throws IOException {
        JsonDocuments.write(file, this);
    }

    /** Reads a report; a file that is not one is bad input naming it. */
    public static ExportReport read(Path file) {
        return JsonDocuments.read(file, ExportReport.class, FORMAT, "export report");
    }

    /** The report beside {@code model}, when there is one. */
    public static Optional<ExportReport> findBeside(Path model) {
        Path file = besideModel(model);
        return Files.exists(file) ? Optional.of(read(file)) : Optional.empty();
    }
}
