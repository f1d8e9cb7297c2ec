package org.e2enet.core.bundle;

import org.e2enet.core.preprocess.Plans;
import org.e2enet.core.spec.Accounting;
import org.e2enet.core.spec.ModelSpec;

/**
 * The {@code manifest.json} of a model bundle (docs/architecture.md#model-bundle): format tag, the network spec, the preprocessing
 * plans, the training state summary and the accounting. Only {@code format} and {@code spec} are required
 * (a bundle of weights converted from elsewhere has no training section).
 *
 * @param format always {@value #FORMAT}
 * @param spec the network
 * @param plans preprocessing, or null
 * @param training epoch, iteration, seeds, optimizer summary; or null
 * @param accounting params and FLOPs for the bundle's masks, or null
 */
public record BundleManifest(String format, ModelSpec spec, Plans plans, TrainingState training, Accounting accounting) {
    /** The format tag of this version. */
    public static final String FORMAT = "e2enet-model/1";
}
