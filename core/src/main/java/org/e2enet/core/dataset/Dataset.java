package org.e2enet.core.dataset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.e2enet.core.io.BadInputException;

/**
 * An nnU-Net v2 raw dataset on disk: {@code dataset.json}, {@code imagesTr/{case}_{XXXX}{ending}} (one file
 * per channel), {@code labelsTr/{case}{ending}}, optional {@code imagesTs/} and (our addition, for held-out
 * evaluation) {@code labelsTs/}. Opening it checks the layout: every case has every channel file and a
 * label, and the count matches {@code numTraining}. {@link DatasetValidator} then checks the files' content.
 *
 * @param root the dataset directory
 * @param descriptor its dataset.json
 * @param training training cases (with labels)
 * @param test test cases (labels when labelsTs/ has them)
 */
public record Dataset(Path root, DatasetDescriptor descriptor, List<DatasetCase> training, List<DatasetCase> test) {
    /** Opens and checks the layout of the dataset at {@code root}. */
    public static Dataset open(Path root) {
        if (!Files.isDirectory(root)) {
            throw BadInputException.of(root, Files.exists(root) ? "not a directory" : "no such dataset directory");
        }
        DatasetDescriptor d = DatasetDescriptor.read(root.resolve("dataset.json"));
        List<DatasetCase> training = cases(root, "imagesTr", "labelsTr", d, true);
        if (training.size() != d.numTraining()) {
            throw BadInputException.of(root.resolve("dataset.json"), "numTraining is " + d.numTraining() + " but imagesTr holds "
                    + training.size() + " cases");
        }
        List<DatasetCase> test = Files.isDirectory(root.resolve("imagesTs"))
                ? cases(root, "imagesTs", "labelsTs", d, false) : List.of();
        return new Dataset(root, d, training, test);
    }

    private static List<DatasetCase> cases(Path root, String imagesDir, String labelsDir, DatasetDescriptor d, boolean needLabels) {
        Path images = root.resolve(imagesDir);
        if (!Files.isDirectory(images)) {
            throw BadInputException.of(images, "missing directory");
        }
        String ending = d.fileEnding();
        List<DatasetCase> out = new ArrayList<>();
        for (CaseNaming.CaseImages e : CaseNaming.find(images, d.channels(), List.of(ending), true, "dataset.json declares")) {
            Path label = root.resolve(labelsDir).resolve(e.id() + ending);
            if (!Files.isRegularFile(label)) {
                if (needLabels) {
                    throw BadInputException.of(label, "missing label file of case '" + e.id() + "'");
                }
                label = null;
            }
            out.add(new DatasetCase(e.id(), e.channels(), label));
        }
        return out;
    }
}
