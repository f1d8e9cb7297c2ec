package org.e2enet.core.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.nifti.NiftiReader;
import org.e2enet.core.progress.ProgressListener;
import org.e2enet.core.volume.Volume;

/** Evaluates a directory of predicted label maps against a directory of references, matched by file name. */
public final class Evaluator {
    private Evaluator() {
    }

    /** The NIfTI files of a directory, sorted. */
    static List<Path> niftiFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw BadInputException.of(dir, Files.exists(dir) ? "not a directory" : "no such directory");
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(p -> {
                String n = p.getFileName().toString();
                return !n.startsWith(".") && (n.endsWith(".nii.gz") || n.endsWith(".nii"));
            }).sorted().toList();
            if (files.isEmpty()) {
                throw BadInputException.of(dir, "holds no .nii or .nii.gz files");
            }
            return files;
        } catch (IOException e) {
            throw BadInputException.of(dir, "cannot list (" + e.getMessage() + ")");
        }
    }

    /**
     * @param classNames names of labels 0..K-1 (K classes)
     * @param toleranceMm NSD tolerance
     */
    public static EvaluationReport evaluate(Path predDir, Path refDir, List<String> classNames, double toleranceMm,
                                            ProgressListener progress) {
        List<Path> refs = niftiFiles(refDir);
        int k = classNames.size();
        List<CaseEvaluation> cases = new ArrayList<>();
        progress.start("evaluate", refs.size());
        for (Path ref : refs) {
            Path pred = predDir.resolve(ref.getFileName());
            if (!Files.isRegularFile(pred)) {
                throw BadInputException.of(pred, "missing prediction for reference " + ref);
            }
            Volume r = NiftiReader.read(ref);
            Volume p = NiftiReader.read(pred);
            if (!p.shape().equals(r.shape())) {
                throw BadInputException.of(pred, "shape " + p.shape() + " differs from the reference's " + r.shape());
            }
            String id = ref.getFileName().toString().replaceAll("\\.nii(\\.gz)?$", "");
            cases.add(new CaseEvaluation(id, SegmentationMetrics.compute(labels(p, pred, k), labels(r, ref, k), r.shape(),
                    r.spacing(), k, toleranceMm)));
            progress.step(id);
        }
        progress.finish();
        double[] dice = new double[k - 1];
        double[] nsd = new double[k - 1];
        double[] hd = new double[k - 1];
        for (int c = 0; c < k - 1; c++) {
            dice[c] = mean(cases, c, ClassMetrics::dice);
            nsd[c] = mean(cases, c, ClassMetrics::nsd);
            hd[c] = mean(cases, c, ClassMetrics::hd95);
        }
        return new EvaluationReport(toleranceMm, List.copyOf(classNames), cases, dice, nsd, hd, ConfusionCounts.nanMean(dice), ConfusionCounts.nanMean(nsd));
    }

    /** The number of classes implied by the reference files: 1 + the largest label found. */
    public static int classesIn(Path refDir) {
        int max = 1;
        for (Path ref : niftiFiles(refDir)) {
            Volume r = NiftiReader.read(ref);
            for (int i = 0; i < r.shape().voxelsInt(); i++) {
                max = Math.max(max, (int) r.value(0, i));
            }
        }
        return max + 1;
    }

    private static byte[] labels(Volume v, Path file, int classes) {
        byte[] out = new byte[v.shape().voxelsInt()];
        for (int i = 0; i < out.length; i++) {
            double x = v.value(0, i);
            if (x < 0 || x >= classes || x != Math.rint(x)) {
                throw BadInputException.of(file, "value " + x + " is not a label 0.." + (classes - 1));
            }
            out[i] = (byte) x;
        }
        return out;
    }

    private static double mean(List<CaseEvaluation> cases, int c, java.util.function.ToDoubleFunction<ClassMetrics> f) {
        double sum = 0;
        int n = 0;
        for (CaseEvaluation e : cases) {
            double v = f.applyAsDouble(e.classes().get(c));
            if (Double.isFinite(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

}
