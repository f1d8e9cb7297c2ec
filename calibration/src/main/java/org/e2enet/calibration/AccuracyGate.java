package org.e2enet.calibration;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.e2enet.core.metrics.ConfusionCounts;
import org.e2enet.core.progress.ProgressListener;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.window.WindowSettings;
import org.e2enet.core.window.WindowedPrediction;
import org.e2enet.runtime.Backend;
import org.e2enet.runtime.OnnxModel;

/**
 * The accuracy gate: the FP32 model and a reduced-precision candidate both segment the gate cases through the
 * runtime's sliding window (nnU-Net's step 0.5, no mirroring) on ONNX Runtime CPU; the candidate passes when its
 * mean Dice against the ground truth is at most {@code maxDropPoints} Dice points (1 point = 0.01) below the
 * FP32 model's. Also reported: the Dice between the two segmentations, and logit differences on a few tiles.
 */
public final class AccuracyGate {
    /** Tiles the logit differences are measured on. */
    static final int LOGIT_TILES = 4;
    private final List<GateCase> cases;
    private final Shape3 tile;
    private final int classes;
    private final int threads;
    private final List<byte[]> fp32Labels = new ArrayList<>();
    private final List<CalibrationTile> logitTiles = new ArrayList<>();
    private final List<float[]> fp32Logits = new ArrayList<>();

    /**
     * One gate case.
     *
     * @param id the case
     * @param fp32Dice mean foreground Dice of the FP32 model against the ground truth
     * @param candidateDice the candidate's
     * @param diceBetween mean foreground Dice between the two segmentations
     */
    public record CaseRow(String id, double fp32Dice, double candidateDice, double diceBetween) {
    }

    /**
     * The gate's outcome.
     *
     * @param cases per case
     * @param fp32MeanDice mean over cases of the FP32 model's Dice
     * @param candidateMeanDice the candidate's
     * @param dropPoints (fp32 - candidate) x 100
     * @param maxDropPoints the limit
     * @param maxLogitDiff largest |logit difference| on the logit tiles
     * @param meanLogitDiff mean |logit difference| there
     * @param logitTiles how many tiles
     * @param passed whether dropPoints &lt;= maxDropPoints
     */
    public record Result(List<CaseRow> cases, double fp32MeanDice, double candidateMeanDice, double dropPoints, double maxDropPoints,
                         double maxLogitDiff, double meanLogitDiff, int logitTiles, boolean passed) {
    }

    /** Segments the gate cases with the FP32 model {@code fp32} once; candidates are then compared with it. */
    public AccuracyGate(Path fp32, List<GateCase> cases, int threads, ProgressListener progress) {
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("the accuracy gate needs at least one labelled case");
        }
        this.cases = List.copyOf(cases);
        this.threads = threads;
        try (OnnxModel m = OnnxModel.open(fp32, Backend.ORT_CPU, threads)) {
            tile = Shape3.of(m.spec().patchSize());
            classes = m.classes();
            progress.start("gate: fp32", cases.size());
            for (GateCase c : cases) {
                fp32Labels.add(segment(m, c));
                progress.step(c.id());
                for (CalibrationTile t : CalibrationData.tilesOf(c, tile)) {
                    if (logitTiles.size() < LOGIT_TILES && (t.foreground() || logitTiles.size() < LOGIT_TILES / 2)) {
                        logitTiles.add(t);
                        fp32Logits.add(m.run(t.data(), t.shape()));
                    }
                }
            }
            progress.finish();
        }
    }

    private byte[] segment(OnnxModel m, GateCase c) {
        return WindowedPrediction.predict(m, c.channels(), c.shape(), WindowSettings.reference(tile), threads).labels();
    }

    /** Evaluates the candidate model file {@code candidate} against the FP32 reference with the limit {@code maxDropPoints}. */
    public Result evaluate(Path candidate, double maxDropPoints, String label, ProgressListener progress) {
        List<CaseRow> rows = new ArrayList<>();
        double maxDiff = 0;
        double sumDiff = 0;
        long n = 0;
        try (OnnxModel m = OnnxModel.open(candidate, Backend.ORT_CPU, threads)) {
            progress.start("gate: " + label, cases.size());
            for (int i = 0; i < cases.size(); i++) {
                GateCase c = cases.get(i);
                byte[] ours = segment(m, c);
                progress.step(c.id());
                rows.add(new CaseRow(c.id(), meanDice(c.labels(), fp32Labels.get(i)), meanDice(c.labels(), ours),
                        meanDice(fp32Labels.get(i), ours)));
            }
            progress.finish();
            for (int t = 0; t < logitTiles.size(); t++) {
                float[] a = fp32Logits.get(t);
                float[] b = m.run(logitTiles.get(t).data(), logitTiles.get(t).shape());
                for (int i = 0; i < a.length; i++) {
                    double d = Math.abs(a[i] - b[i]);
                    maxDiff = Math.max(maxDiff, d);
                    sumDiff += d;
                }
                n += a.length;
            }
        }
        double fp32 = rows.stream().mapToDouble(CaseRow::fp32Dice).average().orElse(Double.NaN);
        double cand = rows.stream().mapToDouble(CaseRow::candidateDice).average().orElse(Double.NaN);
        double drop = (fp32 - cand) * 100;
        return new Result(rows, fp32, cand, drop, maxDropPoints, maxDiff, n == 0 ? 0 : sumDiff / n, logitTiles.size(),
                drop <= maxDropPoints);
    }

    /** The tiles the logit differences are measured on. */
    List<CalibrationTile> logitTiles() {
        return List.copyOf(logitTiles);
    }

    /** The FP32 logits of logit tile {@code t}. */
    float[] fp32LogitsOf(int t) {
        return fp32Logits.get(t);
    }

    /** Mean foreground Dice of {@code predicted} against {@code reference}; classes absent from both are left out (1 when all are). */
    double meanDice(byte[] reference, byte[] predicted) {
        return ConfusionCounts.of(reference, predicted, classes).meanForegroundDice();
    }
}
