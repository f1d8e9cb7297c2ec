package org.e2enet.core.preprocess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.e2enet.core.dataset.CaseNaming;
import org.e2enet.core.dataset.DatasetDescriptor;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.nifti.NiftiReader;
import org.e2enet.core.nifti.NiftiWriter;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.volume.Volume;
import org.e2enet.core.volume.VoxelData;
import org.e2enet.core.volume.VoxelType;

/**
 * The layout of a preprocessed dataset, which {@code e2enet preprocess} writes and the trainer reads:
 * {@code plans.json}, {@code fingerprint.json}, a copy of {@code dataset.json} and, per case,
 * {@code cases/{case}_{XXXX}{ending}} (float32 normalised channels), {@code cases/{case}{ending}} (uint8
 * labels) and {@code cases/{case}.json} (properties for the inverse), all on the target spacing.
 *
 * @param dir the directory
 */
public record PreprocessedStore(Path dir) {
    /** The plans file name. */
    public static final String PLANS = "plans.json";
    /** The fingerprint file name. */
    public static final String FINGERPRINT = "fingerprint.json";
    /** The dataset description's file name. */
    public static final String DATASET = "dataset.json";
    /** The case directory name. */
    public static final String CASES = "cases";

    /**
     * One stored case.
     *
     * @param id the case id
     * @param channels the normalised channels
     * @param labels the labels (values as stored), or null when the case has none
     * @param shape the grid
     * @param labelFile where the labels came from (for messages)
     */
    public record StoredCase(String id, float[][] channels, int[] labels, Shape3 shape, Path labelFile) {
    }

    /** Whether {@code dir} holds a preprocessed dataset (it has plans). */
    public static boolean isStore(Path dir) {
        return Files.isRegularFile(dir.resolve(PLANS));
    }

    /** The plans. */
    public Plans plans() {
        return Plans.read(dir.resolve(PLANS));
    }

    /** The dataset description. */
    public DatasetDescriptor descriptor() {
        return DatasetDescriptor.read(dir.resolve(DATASET));
    }

    /** The case ids, sorted. */
    public List<String> caseIds() {
        Path cases = dir.resolve(CASES);
        List<String> ids;
        try (Stream<Path> s = Files.list(cases)) {
            ids = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length())).sorted().toList();
        } catch (IOException e) {
            throw BadInputException.of(cases, "cannot list preprocessed cases (" + e.getMessage() + ")");
        }
        if (ids.isEmpty()) {
            throw BadInputException.of(cases, "holds no preprocessed cases");
        }
        return ids;
    }

    /** Reads case {@code id} with the channel count and file ending of {@code d} (channels checked as every case's are). */
    public StoredCase read(String id, DatasetDescriptor d) {
        Path cases = dir.resolve(CASES);
        List<Path> files = new ArrayList<>();
        for (int c = 0; c < d.channels(); c++) {
            files.add(cases.resolve(CaseNaming.channelFile(id, c, d.fileEnding())));
        }
        List<Volume> volumes = CaseInput.readChannels(files);
        Shape3 shape = volumes.get(0).shape();
        float[][] channels = new float[volumes.size()][];
        for (int c = 0; c < channels.length; c++) {
            channels[c] = volumes.get(c).floats(0);
        }
        Path labelFile = cases.resolve(id + d.fileEnding());
        if (!Files.exists(labelFile)) {
            return new StoredCase(id, channels, null, shape, labelFile);
        }
        Volume lv = NiftiReader.read(labelFile);
        if (!lv.shape().equals(shape)) {
            throw BadInputException.of(labelFile, "label shape " + lv.shape() + " differs from image shape " + shape);
        }
        int[] labels = new int[lv.shape().voxelsInt()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (int) lv.value(0, i);
        }
        return new StoredCase(id, channels, labels, shape, labelFile);
    }

    /** Writes one preprocessed case into {@code cases/} (the caller makes the whole directory atomic). */
    public void write(PreprocessedCase p, String ending) throws IOException {
        Path cases = Files.createDirectories(dir.resolve(CASES));
        String id = p.properties().caseId();
        for (int c = 0; c < p.channels().length; c++) {
            Volume v = Volume.of(p.geometry(), VoxelData.ofFloats(p.channels()[c]));
            NiftiWriter.standard().write(v, cases.resolve(CaseNaming.channelFile(id, c, ending)));
        }
        if (p.label() != null) {
            byte[] labels = p.label();
            VoxelData data = VoxelData.allocate(VoxelType.UINT8, labels.length);
            for (int i = 0; i < labels.length; i++) {
                data.set(i, Math.max(0, labels[i]));
            }
            NiftiWriter.standard().write(Volume.of(p.geometry(), data), cases.resolve(id + ending));
        }
        p.properties().write(cases.resolve(id + ".json"));
    }
}
