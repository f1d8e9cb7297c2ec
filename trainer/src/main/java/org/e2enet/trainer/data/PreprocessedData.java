package org.e2enet.trainer.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.e2enet.core.dataset.Dataset;
import org.e2enet.core.dataset.DatasetDescriptor;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.preprocess.DatasetPreprocessor;
import org.e2enet.core.preprocess.Plans;
import org.e2enet.core.preprocess.PreprocessedStore;
import org.e2enet.core.progress.ProgressListener;
import org.e2enet.trainer.RandomDraws;

/**
 * The cases written by {@code e2enet preprocess}, loaded into memory for patch sampling. A raw nnU-Net
 * dataset is preprocessed first, once, into the sibling directory {@code {dataset}_preprocessed} (reused when
 * it already holds plans).
 *
 * @param dir the preprocessed directory
 * @param plans its plans
 * @param descriptor its dataset.json
 * @param cases the cases, sorted by id
 */
public record PreprocessedData(Path dir, Plans plans, DatasetDescriptor descriptor, List<TrainingCase> cases) {
    /** Voxels remembered per class for foreground oversampling (nnU-Net's number). */
    public static final int LOCATIONS_PER_CLASS = 10_000;

    /** The preprocessed directory for {@code dataset}: itself when preprocessed, else its sibling (created if needed). */
    public static Path ensurePreprocessed(Path dataset, ProgressListener progress) throws IOException {
        if (PreprocessedStore.isStore(dataset)) {
            return dataset;
        }
        Path sibling = dataset.toAbsolutePath().resolveSibling(dataset.getFileName() + "_preprocessed");
        if (PreprocessedStore.isStore(sibling)) {
            return sibling;
        }
        DatasetPreprocessor.run(Dataset.open(dataset), sibling, null, false, progress);
        return sibling;
    }

    /** Loads every case of a preprocessed directory. */
    public static PreprocessedData load(Path dir, ProgressListener progress) {
        PreprocessedStore store = new PreprocessedStore(dir);
        Plans plans = store.plans();
        DatasetDescriptor d = store.descriptor();
        List<String> ids = store.caseIds();
        List<TrainingCase> cases = new ArrayList<>();
        progress.start("load", ids.size());
        for (String id : ids) {
            cases.add(trainingCase(store.read(id, d), d.classes()));
            progress.step(id);
        }
        progress.finish();
        return new PreprocessedData(dir, plans, d, cases);
    }

    /** A stored case with the foreground locations patch sampling oversamples. */
    private static TrainingCase trainingCase(PreprocessedStore.StoredCase c, int k) {
        if (c.labels() == null) {
            throw BadInputException.of(c.labelFile(), "is missing: training needs the labels of every case");
        }
        byte[] label = new byte[c.labels().length];
        List<List<Integer>> where = new ArrayList<>();
        for (int cl = 0; cl < k; cl++) {
            where.add(new ArrayList<>());
        }
        for (int i = 0; i < label.length; i++) {
            int v = c.labels()[i];
            if (v < 0 || v >= k) {
                throw BadInputException.of(c.labelFile(), "label value " + v + " outside 0.." + (k - 1));
            }
            label[i] = (byte) v;
            if (v > 0) {
                where.get(v).add(i);
            }
        }
        int[][] locations = new int[k][];
        SplittableRandom rng = new SplittableRandom(1234);
        for (int cl = 0; cl < k; cl++) {
            List<Integer> all = where.get(cl);
            int n = Math.min(all.size(), LOCATIONS_PER_CLASS);
            locations[cl] = new int[n];
            for (int i = 0; i < n; i++) {
                locations[cl][i] = all.size() <= LOCATIONS_PER_CLASS ? all.get(i) : all.get(RandomDraws.below(rng, all.size()));
            }
        }
        return new TrainingCase(c.id(), c.channels(), label, c.shape(), locations);
    }
}
