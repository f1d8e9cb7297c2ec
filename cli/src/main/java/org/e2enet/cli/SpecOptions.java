package org.e2enet.cli;

import java.nio.file.Path;
import org.e2enet.core.spec.Granularity;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.spec.Presets;
import picocli.CommandLine.Option;

/** How a command names the network: a preset or a spec file, with sparsity and granularity overrides. */
final class SpecOptions {
    // Two plain options checked in resolve(): an @ArgGroup inside a mixin is listed twice in picocli 4.7's help.
    @Option(names = "--preset", description = "One of: tiny, small, amos, btcv, brats (or --spec).")
    String preset;

    @Option(names = "--spec", description = "A spec JSON file (docs/architecture.md#model-spec; or --preset).")
    Path file;

    @Option(names = "--sparsity", description = "Override the spec's feature sparsity S (0 = dense).")
    Double sparsity;

    @Option(names = "--granularity", description = "Override the granularity: kernel (paper), channel, group:G or dense.")
    String granularity;

    @Option(names = "--patch", arity = "3", paramLabel = "N", description = "Override the patch size: depth, height, width.")
    int[] patch;

    @Option(names = "--authors-density-rule", description = "The authors' Masking rule: every masked tensor whose first dimension is 48 "
            + "gets density 0.2 whatever the sparsity (reproduces the paper's AMOS s = 0.7 row exactly).")
    boolean authorsDensityRule;

    /** The spec the options name. */
    ModelSpec resolve() {
        if ((preset == null) == (file == null)) {
            throw new IllegalArgumentException(preset == null ? "name the network with --preset or --spec" : "--preset and --spec exclude each other");
        }
        ModelSpec spec = preset != null ? Presets.get(preset) : ModelSpec.read(file);
        if (sparsity != null) {
            spec = spec.withSparsity(sparsity);
        }
        if (granularity != null) {
            spec = spec.withGranularity(Granularity.parse(granularity));
        }
        if (patch != null) {
            spec = spec.withPatchSize(patch);
        }
        if (authorsDensityRule) {
            spec = spec.withDsff(spec.dsff().withAuthorsDensityRule(true));
        }
        return spec;
    }
}
