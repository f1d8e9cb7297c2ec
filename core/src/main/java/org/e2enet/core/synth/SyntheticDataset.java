package org.e2enet.core.synth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.e2enet.core.dataset.DatasetDescriptor;
import org.e2enet.core.io.AtomicFiles;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.nifti.NiftiWriter;
import org.e2enet.core.progress.ProgressListener;
import org.e2enet.core.volume.Shape3;

/**
 * Writes a phantom dataset in nnU-Net v2 layout: {@code imagesTr}/{@code labelsTr} for training cases and,
 * when asked, {@code imagesTs}/{@code labelsTs} for held-out cases. The directory appears only when complete.
 */
public final class SyntheticDataset {
    /** Foreground classes unless {@link #structures} says otherwise. */
    public static final int DEFAULT_STRUCTURES = 3;

    private final int trainCases;
    private final int testCases;
    private final long seed;
    private final int structures;
    private final Shape3 shape;
    private final boolean replace;

    private SyntheticDataset(int trainCases, int testCases, long seed, int structures, Shape3 shape, boolean replace) {
        this.trainCases = trainCases;
        this.testCases = testCases;
        this.seed = seed;
        this.structures = structures;
        this.shape = shape;
        this.replace = replace;
    }

    /**
     * A dataset of {@code trainCases} training cases on the grid {@code shape} (d, h, w), with no held-out cases, seed 0,
     * {@value #DEFAULT_STRUCTURES} foreground classes and no existing directory replaced, until told otherwise.
     */
    public static SyntheticDataset of(int trainCases, Shape3 shape) {
        return new SyntheticDataset(trainCases, 0, 0, DEFAULT_STRUCTURES, shape, false);
    }

    /** The same dataset with {@code n} held-out cases ({@code imagesTs}/{@code labelsTs}). */
    public SyntheticDataset testCases(int n) {
        return new SyntheticDataset(trainCases, n, seed, structures, shape, replace);
    }

    /** The same dataset drawn from {@code newSeed}; the same seed gives the same files. */
    public SyntheticDataset seed(long newSeed) {
        return new SyntheticDataset(trainCases, testCases, newSeed, structures, shape, replace);
    }

    /** The same dataset with {@code n} foreground classes. */
    public SyntheticDataset structures(int n) {
        return new SyntheticDataset(trainCases, testCases, seed, n, shape, replace);
    }

    /** The same dataset, allowed to replace an existing directory or not. */
    public SyntheticDataset replacingExisting(boolean on) {
        return new SyntheticDataset(trainCases, testCases, seed, structures, shape, on);
    }

    /** Writes it into {@code out} silently. */
    public void write(Path out) throws IOException {
        write(out, ProgressListener.NONE);
    }

    /**
     * Writes it into {@code out}; the directory appears only when complete.
     *
     * @param out the dataset directory to create (must not exist unless {@link #replacingExisting} allowed it)
     * @param progress told of each case written
     */
    public void write(Path out, ProgressListener progress) throws IOException {
        if (trainCases < 1 || testCases < 0) {
            throw new IllegalArgumentException("need at least one training case and no negative test cases");
        }
        if (Files.exists(out) && !replace) {
            throw BadInputException.of(out, "already exists; choose another --out or pass --force to replace it");
        }
        PhantomGenerator gen = new PhantomGenerator(shape, structures);
        AtomicFiles.writeDirectory(out, dir -> {
            Map<String, Integer> labels = new LinkedHashMap<>();
            String[] names = gen.labelNames();
            for (int k = 0; k < names.length; k++) {
                labels.put(names[k], k);
            }
            new DatasetDescriptor("synthetic phantoms (seed " + seed + ")", Map.of(0, "CT"), labels, trainCases, ".nii.gz")
                    .write(dir.resolve("dataset.json"));
            progress.start("synth", trainCases + testCases);
            for (int i = 0; i < trainCases + testCases; i++) {
                boolean train = i < trainCases;
                String id = String.format("phantom_%03d", i);
                PhantomCase c = gen.generate(seed, i);
                Path images = Files.createDirectories(dir.resolve(train ? "imagesTr" : "imagesTs"));
                Path labelDir = Files.createDirectories(dir.resolve(train ? "labelsTr" : "labelsTs"));
                NiftiWriter.standard().write(c.image(), images.resolve(id + "_0000.nii.gz"));
                NiftiWriter.standard().write(c.label(), labelDir.resolve(id + ".nii.gz"));
                progress.step(id);
            }
            progress.finish();
        });
    }
}
