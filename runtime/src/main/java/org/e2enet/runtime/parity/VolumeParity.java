package org.e2enet.runtime.parity;

import org.e2enet.runtime.OnnxModel;
import org.e2enet.runtime.CasePrediction;
import org.e2enet.runtime.CaseFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.e2enet.core.bundle.GoldenFixtures;
import org.e2enet.core.bundle.ModelBundle;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.preprocess.CaseInput;
import org.e2enet.core.preprocess.CasePreprocessor;
import org.e2enet.core.preprocess.PreprocessedCase;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.window.WindowedPrediction;

/**
 * Parity on validation volumes (docs/architecture.md#parity): the runtime preprocesses the raw images itself (from the
 * model's plans), runs the sliding window with the exported model, and its labels are compared with the
 * training model's sliding-window segmentation of the same volumes, kept in the bundle's golden fixtures
 * ({@code golden.seg.{case}}). Same window (step 0.5, no mirroring); it passes when argmax agreement is at
 * least 99.99% and the Dice between the two predictions is at least 0.999 for every class present (a calibrated
 * model: {@link ParityTolerance#REDUCED}).
 */
public final class VolumeParity {
    private VolumeParity() {
    }

    /**
     * The outcome.
     *
     * @param passed every check passed
     * @param cases the validation cases compared
     * @param agreement fraction of voxels with the same label
     * @param dicePerClass Dice between the two predictions per foreground class (NaN when absent from both)
     * @param failures what failed, one line each
     */
    public record Report(boolean passed, List<String> cases, double agreement, double[] dicePerClass, List<String> failures) {
    }

    /**
     * Compares on the validation cases of {@code bundle} found in {@code dataset} (a raw nnU-Net dataset, whose
     * {@code imagesTr} is searched, or a directory of {@code {case}_XXXX.nii.gz} images).
     */
    public static Report run(ModelBundle bundle, OnnxModel model, Path dataset) {
        Map<String, GoldenFixtures.CaseLabels> golden = bundle.golden() == null ? Map.of() : bundle.golden().segmentations();
        if (golden.isEmpty()) {
            throw BadInputException.of(bundle.dir(), "has no golden validation segmentations (bundles trained by this version write "
                    + "them at the end of training)");
        }
        if (model.plans() == null) {
            throw new BadInputException("the model has no e2enet.plans metadata, so it cannot preprocess " + dataset);
        }
        Path images = Files.isDirectory(dataset.resolve("imagesTr")) ? dataset.resolve("imagesTr") : dataset;
        Map<String, CaseFiles> files = CaseFiles.find(images, model.spec().inputChannels()).stream()
                .collect(Collectors.toMap(CaseFiles::id, c -> c));
        CasePreprocessor preprocessor = new CasePreprocessor(model.plans());
        Shape3 tile = Shape3.of(model.spec().patchSize());
        int k = model.spec().numClasses();
        LabelAgreement labels = new LabelAgreement(k);
        for (Map.Entry<String, GoldenFixtures.CaseLabels> e : golden.entrySet()) {
            CaseFiles c = files.get(e.getKey());
            if (c == null) {
                throw BadInputException.of(images, "has no images of validation case '" + e.getKey()
                        + "': pass the dataset the model was trained on");
            }
            PreprocessedCase pre = preprocessor.forward(CaseInput.of(c.id(), CasePrediction.readChannels(c)));
            Shape3 shape = pre.geometry().shape();
            Shape3 expected = e.getValue().shape();
            if (!expected.equals(shape)) {
                throw BadInputException.of(c.channels().get(0), "preprocesses to " + shape + ", the training model's segmentation of case '"
                        + c.id() + "' has shape " + expected + ": not the volume the model was validated on");
            }
            byte[] ours = WindowedPrediction.referenceLabels(model, pre.channels(), shape, tile);
            byte[] theirs = e.getValue().labels();
            for (int i = 0; i < ours.length; i++) {
                labels.add(theirs[i] & 0xff, ours[i] & 0xff);
            }
        }
        List<String> failures = new ArrayList<>();
        labels.check("validation volumes", failures, ParityTolerance.of(model.precision(), model.enginePrecision()));
        return new Report(failures.isEmpty(), List.copyOf(golden.keySet()), labels.agreement(), labels.dice(), failures);
    }
}
