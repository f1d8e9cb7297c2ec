package org.e2enet.runtime;

import java.nio.file.Path;
import java.util.List;
import org.e2enet.core.onnx.ExportReport;
import org.e2enet.core.preprocess.ChannelNormalization;
import org.e2enet.core.preprocess.NormalizationScheme;
import org.e2enet.core.preprocess.Plans;
import org.e2enet.core.spec.DsffSettings;
import org.e2enet.core.spec.Granularity;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.exporter.ExportOptions;
import org.e2enet.exporter.ModelExport;
import org.e2enet.exporter.RandomBundles;

/** Exported models with random weights and simple plans (CT normalisation, 1 mm target spacing unless given). */
public final class RuntimeFixtures {
    private RuntimeFixtures() {
    }

    public static Plans plans(int classes) {
        return plans(classes, new double[] {1, 1, 1});
    }

    /** Plans resampling to {@code targetSpacing} (d, h, w in mm). */
    public static Plans plans(int classes, double[] targetSpacing) {
        List<String> names = new java.util.ArrayList<>(List.of("background"));
        for (int c = 1; c < classes; c++) {
            names.add("class" + c);
        }
        return new Plans(Plans.FORMAT, "test", List.of("CT"), names, targetSpacing, new double[] {1, 1, 1},
                new double[] {1, 1, 1}, new int[] {1, 1, 1}, true, 3, 3, 1, 0,
                List.of(new ChannelNormalization(NormalizationScheme.CT, false, 50, 100, -200, 400)));
    }

    public static ModelSpec spec(int[] patch, int classes) {
        return new ModelSpec(1, classes, 4, 16, new int[][] {{2, 2, 2}, {2, 2, 2}, {2, 2, 2}}, 3, patch, 0.6, Granularity.CHANNEL,
                DsffSettings.PAPER);
    }

    /** Writes bundle{seed} and model{seed}.onnx (+ report) into {@code dir}; returns the ONNX path. */
    public static Path export(ModelSpec spec, Path dir, long seed) throws Exception {
        return export(spec, plans(spec.numClasses()), dir, seed);
    }

    /** As {@link #export(ModelSpec, Path, long)} with the given plans. */
    public static Path export(ModelSpec spec, Plans plans, Path dir, long seed) throws Exception {
        Path bundle = RandomBundles.write(spec, plans, dir, seed);
        Path onnx = dir.resolve("model" + seed + ".onnx");
        ModelExport.run(bundle, onnx, ExportOptions.PRUNED, ExportReport.besideModel(onnx));
        return onnx;
    }
}
