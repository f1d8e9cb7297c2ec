package org.e2enet.calibration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.e2enet.core.dataset.DatasetDescriptor;
import org.e2enet.core.nifti.NiftiWriter;
import org.e2enet.core.nifti.NiftiReader;
import org.e2enet.core.synth.SyntheticDataset;
import org.e2enet.core.progress.ProgressListener;
import org.e2enet.trainer.loop.Trainer;
import org.e2enet.trainer.loop.TrainingConfig;
import org.e2enet.trainer.loop.TrainingListener;
import org.e2enet.core.onnx.ExportReport;
import org.e2enet.core.spec.DsffSettings;
import org.e2enet.core.spec.Granularity;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.volume.Volume;
import org.e2enet.exporter.ExportOptions;
import org.e2enet.exporter.ModelExport;
import org.e2enet.runtime.Backend;
import org.e2enet.runtime.Segmenter;
import org.e2enet.runtime.SegmenterOptions;

/**
 * A small E2ENet trained briefly on phantoms (a random-weight network's argmax flips under any rounding, a trained
 * one's regions are what quantization has to keep), exported pruned, and a copy of its dataset whose labels are
 * that model's own FP32 segmentation, so the FP32 model scores about 1 and any drop the gate sees is the
 * reduced precision's.
 */
final class CalibrationFixtures {
    static final Shape3 CASE = new Shape3(24, 48, 48);
    static final int CLASSES = 3;

    private CalibrationFixtures() {
    }

    static ModelSpec spec() {
        DsffSettings d = DsffSettings.PAPER;
        return new ModelSpec(1, CLASSES, 4, 16, new int[][] {{2, 2, 2}, {2, 2, 2}}, 3, new int[] {16, 32, 32}, 0.5, Granularity.CHANNEL,
                new DsffSettings(d.updateFrequency(), d.deathRate(), d.deathRateMin(), d.regrow(), true));
    }

    /** Trains {@code dir}/bundle on {@code phantoms} and exports the pruned {@code dir}/model.onnx. */
    static Path model(Path dir, Path phantoms) throws Exception {
        Path bundle = dir.resolve("bundle");
        new Trainer(TrainingConfig.builder().setDataset(phantoms).setOut(bundle).setSpec(spec()).optEpochs(6).optItersPerEpoch(25).optSeed(3)
                .optValidationIters(2).optGoldenPatches(1).build(), new TrainingListener() { }).run(ProgressListener.NONE);
        Path onnx = dir.resolve("model.onnx");
        ModelExport.run(bundle, onnx, ExportOptions.PRUNED, ExportReport.besideModel(onnx));
        return onnx;
    }

    /** The phantom training set: {@code train} training and {@code test} held-out cases. */
    static Path phantoms(Path dir, int train, int test) throws Exception {
        Path out = dir.resolve("phantoms");
        SyntheticDataset.of(train, CASE).testCases(test).seed(7).structures(CLASSES - 1).write(out);
        return out;
    }

    /**
     * Writes a raw dataset of {@code train} + {@code test} cases labelled by {@code model}'s FP32 segmentation;
     * with {@code blankTraining} the training images are uniform air (what a careless calibration set could be).
     */
    static Path dataset(Path dir, Path phantoms, Path model, int train, int test, boolean blankTraining) throws Exception {
        Path root = dir.resolve(blankTraining ? "blank" : "data");
        Map<String, Integer> labels = new LinkedHashMap<>();
        labels.put("background", 0);
        String[] names = DatasetDescriptor.read(phantoms.resolve("dataset.json")).classNames();
        for (int k = 1; k < names.length; k++) {
            labels.put(names[k], k);
        }
        new DatasetDescriptor("test", Map.of(0, "CT"), labels, train, ".nii.gz").write(Files.createDirectories(root).resolve("dataset.json"));
        try (Segmenter s = Segmenter.open(model, Backend.ORT_CPU, 2, SegmenterOptions.defaults())) {
            org.e2enet.core.dataset.Dataset source = org.e2enet.core.dataset.Dataset.open(phantoms);
            List<org.e2enet.core.dataset.DatasetCase> cases = new ArrayList<>(source.training().subList(0, train));
            cases.addAll(source.test().subList(0, test));
            for (int i = 0; i < cases.size(); i++) {
                boolean tr = i < train;
                String id = cases.get(i).id();
                Volume img = NiftiReader.read(cases.get(i).images().get(0));
                Path images = Files.createDirectories(root.resolve(tr ? "imagesTr" : "imagesTs"));
                Path labelDir = Files.createDirectories(root.resolve(tr ? "labelsTr" : "labelsTs"));
                Volume label = s.segment(id, List.of(img)).labels();
                Volume written = tr && blankTraining ? air(img) : img;
                NiftiWriter.standard().write(written, images.resolve(id + "_0000.nii.gz"));
                NiftiWriter.standard().write(label, labelDir.resolve(id + ".nii.gz"));
            }
        }
        return root;
    }

    private static Volume air(Volume like) {
        float[] v = new float[like.shape().voxelsInt()];
        java.util.Arrays.fill(v, -1000f);
        return Volume.of(like.geometry(), org.e2enet.core.volume.VoxelData.ofFloats(v));
    }

    static List<String> ids(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(String.format("phantom_%03d", i));
        }
        return out;
    }
}
