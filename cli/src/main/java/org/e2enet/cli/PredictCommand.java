package org.e2enet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.e2enet.runtime.CaseFiles;
import org.e2enet.runtime.CasePrediction;
import org.e2enet.runtime.Deployments;
import org.e2enet.runtime.Segmenter;
import org.e2enet.runtime.SegmenterOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code e2enet predict}: segments NIfTI volumes with an exported model. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Segment whole volumes with an exported model, as nnU-Net predicts: the model's own preprocessing, "
                + "Gaussian-weighted sliding window (step 0.5), optional mirroring, labels written on the input's grid "
                + "with its header. A directory uses nnU-Net naming (case_0000.nii.gz ... -> case.nii.gz).",
        footer = {"", "Examples:",
            "  e2enet predict --onnx models/tiny.onnx --input data/phantoms/imagesTs --output predictions",
            "  e2enet predict --onnx m.onnx --input ct.nii.gz --output out --tta --batch 2 --threads 2 --probabilities",
            "  e2enet predict --onnx m.onnx --input cases/ --output out --backend tensorrt --fp16 --batch 4   # engine cached on first run",
            "  e2enet predict --onnx m.onnx --input cases/ --output out --backend auto                       # says which it took",
            "  e2enet predict --deployment deployment.json --input cases/ --output out                      # as 'e2enet plan' chose"})
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--onnx", description = "Exported model (.onnx); or --deployment.")
    Path onnx;

    @Option(names = "--deployment", description = "A deployment profile from 'e2enet plan': its model, backend, threads and batch.")
    Path deployment;

    @Option(names = "--input", required = true, description = "A NIfTI file or a directory of {case}_XXXX.nii.gz files.")
    Path input;

    @Option(names = "--output", required = true, description = "Output directory.")
    Path output;

    @CommandLine.Mixin
    BackendMixin backend;

    @Option(names = "--step", defaultValue = "0.5", description = "Tile step as a fraction of the tile. Default: ${DEFAULT-VALUE}.")
    double step;

    @Option(names = "--tta", description = "Mirroring test-time augmentation (8 flips).")
    boolean tta;

    @Option(names = "--batch", defaultValue = "1", description = "Tiles per network call. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--probabilities", description = "Also write {case}_probabilities.nii.gz (4D, one volume per class).")
    boolean probabilities;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec cmd;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = cmd.commandLine().getOut();
        if ((onnx == null) == (deployment == null)) {
            throw new IllegalArgumentException("give --onnx or --deployment (one of them)");
        }
        CasePrediction.prepareOutput(output);
        SegmenterOptions options = SegmenterOptions.builder().step(step).mirroring(tta ? SegmenterOptions.Mirroring.ALL_FLIPS : SegmenterOptions.Mirroring.NONE).batch(batch).outputs(probabilities ? SegmenterOptions.Outputs.LABELS_AND_PROBABILITIES : SegmenterOptions.Outputs.LABELS).build();
        try (Segmenter segmenter = deployment != null ? Deployments.open(deployment, options)
                : Segmenter.open(onnx, backend.backend, backend.options(batch), options)) {
            o.println("backend: " + segmenter.model().choice() + (deployment == null ? ""
                    : String.format(Locale.ROOT, " (deployment %s: %d threads, batch %d)", deployment, segmenter.model().threads(),
                            segmenter.options().batch())));
            List<CaseFiles> cases = CaseFiles.find(input, segmenter.model().spec().inputChannels());
            ConsoleProgress progress = new ConsoleProgress();
            progress.start("predict", cases.size());
            for (CaseFiles c : cases) {
                CasePrediction.Timing tm = CasePrediction.run(segmenter, c, output, probabilities);
                progress.step(c.id());
                o.printf(Locale.ROOT, "%s: %.2f s, %.3g voxels/s (read %.0f ms, preprocess %.0f ms, network %.0f ms over %d tiles, "
                                + "tile path %.0f ms, resample back %.0f ms, write %.0f ms)%n", tm.id(), tm.totalMs() / 1e3,
                        tm.voxels() / (tm.totalMs() / 1e3), tm.readMs(), tm.preprocessMs(), tm.networkMs(), tm.tiles(), tm.tilePathMs(),
                        tm.postprocessMs(), tm.writeMs());
                o.flush();
            }
            progress.finish();
            o.printf(Locale.ROOT, "wrote %d segmentation(s) to %s%n", cases.size(), output);
        }
        o.flush();
        return 0;
    }
}
