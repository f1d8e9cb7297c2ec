package org.e2enet.core.preprocess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.e2enet.core.dataset.Dataset;
import org.e2enet.core.dataset.DatasetCase;
import org.e2enet.core.dataset.DatasetValidator;
import org.e2enet.core.io.AtomicFiles;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.progress.ProgressListener;
import org.e2enet.core.io.JsonDocuments;

/**
 * nnU-Net's plan-and-preprocess for a whole dataset, into a {@link PreprocessedStore} written whole,
 * atomically.
 */
public final class DatasetPreprocessor {

    private DatasetPreprocessor() {
    }

    /**
     * Validates, fingerprints, plans and preprocesses {@code dataset} into {@code out}.
     *
     * @param spacingOverride target spacing (d, h, w) to use instead of nnU-Net's rule, or null
     * @param replace whether an existing {@code out} may be replaced
     * @return the plans
     */
    public static Plans run(Dataset dataset, Path out, org.e2enet.core.volume.Spacing3 spacingOverride, boolean replace,
                            ProgressListener progress) throws IOException {
        if (Files.exists(out) && !replace) {
            throw BadInputException.of(out, "already exists; choose another --out or pass --force to replace it");
        }
        DatasetValidator.validate(dataset, progress);
        Fingerprint fingerprint = FingerprintExtractor.extract(dataset, progress);
        Plans plans = Planner.plan(dataset.descriptor(), fingerprint, spacingOverride);
        CasePreprocessor pre = new CasePreprocessor(plans);
        AtomicFiles.writeDirectory(out, dir -> {
            PreprocessedStore store = new PreprocessedStore(dir);
            plans.write(dir.resolve(PreprocessedStore.PLANS));
            JsonDocuments.write(dir.resolve(PreprocessedStore.FINGERPRINT), fingerprint);
            dataset.descriptor().write(dir.resolve(PreprocessedStore.DATASET));
            List<DatasetCase> training = dataset.training();
            progress.start("preprocess", training.size());
            for (DatasetCase c : training) {
                PreprocessedCase p = pre.forward(CaseInput.load(c));
                store.write(p, dataset.descriptor().fileEnding());
                progress.step(c.id());
            }
            progress.finish();
        });
        return plans;
    }
}
