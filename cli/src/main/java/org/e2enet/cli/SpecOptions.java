package org.e2enet.cli;

import java.nio.file.Path;
import org.e2enet.core.spec.Granularity;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.spec.Presets;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** How a command names the network: a preset or a spec file, with sparsity and granularity overrides. */
final class SpecOptions {
    static final class Source {
        @Option(names = "--preset", description = "One of: tiny, small, amos, btcv, brats.")
        String preset;
        @Option(names = "--spec", description = "A spec JSON file (DESIGN.md 'spec').")
        Path file;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--sparsity", description = "Override the spec's feature sparsity S (0 = dense).")
    Double sparsity;

    @Option(names = "--granularity", description = "Override the granularity: kernel (paper), channel, group:G or dense.")
    String granularity;

    /** The spec the options name. */
    ModelSpec resolve() {
        ModelSpec spec = source.preset != null ? Presets.get(source.preset) : ModelSpec.read(source.file);
        if (sparsity != null) {
            spec = spec.withSparsity(sparsity);
        }
        if (granularity != null) {
            spec = spec.withGranularity(Granularity.parse(granularity));
        }
        return spec;
    }
}
