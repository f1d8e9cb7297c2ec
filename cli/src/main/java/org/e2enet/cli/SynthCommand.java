package org.e2enet.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.e2enet.core.synth.SyntheticDataset;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code e2enet synth}: a synthetic nnU-Net-layout dataset. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Write a synthetic CT-like phantom dataset in nnU-Net v2 layout: organ-like ellipsoids, a curved "
                + "tube and a small structure in a body of soft tissue, with noise, a smooth bias field and anisotropic, "
                + "per-case spacing. The same seed gives the same files.",
        footer = {"", "Examples:",
            "  e2enet synth --out data/phantoms --cases 20 --seed 1",
            "  e2enet synth --out data/heldout --cases 8 --test-cases 4 --classes 4 --shape 40 96 96"})
final class SynthCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "Dataset directory to create.")
    Path out;

    @CommandLine.Mixin
    PhantomSetOptions phantoms = new PhantomSetOptions(20, 0, new int[] {40, 80, 80});

    @Option(names = "--seed", defaultValue = "0", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--classes", defaultValue = "3", description = "Foreground structures (labels 1..K). Default: ${DEFAULT-VALUE}.")
    int classes;


    @Option(names = "--force", description = "Replace an existing output directory.")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec cmd;

    @Override
    public Integer call() throws Exception {
        SyntheticDataset.of(phantoms.cases, phantoms.shape()).testCases(phantoms.testCases).seed(seed).structures(classes)
                .replacingExisting(force).write(out, new ConsoleProgress());
        cmd.commandLine().getOut().printf("wrote %d training and %d held-out cases to %s%n", phantoms.cases, phantoms.testCases, out);
        cmd.commandLine().getOut().flush();
        return 0;
    }
}
