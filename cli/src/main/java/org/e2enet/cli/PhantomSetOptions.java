package org.e2enet.cli;

import org.e2enet.core.volume.Shape3;
import picocli.CommandLine.Option;

/**
 * How many synthetic phantoms of which size: {@code --cases}, {@code --test-cases}, {@code --shape}. Each
 * command that makes phantoms creates the mixin with its own defaults.
 */
final class PhantomSetOptions {
    @Option(names = "--cases", description = "Training cases (imagesTr/labelsTr). Default: ${DEFAULT-VALUE}.")
    int cases;

    @Option(names = "--test-cases", description = "Held-out cases (imagesTs/labelsTs). Default: ${DEFAULT-VALUE}.")
    int testCases;

    @Option(names = "--shape", arity = "3", paramLabel = "N", description = "Volume size D H W. Default: ${DEFAULT-VALUE}.")
    int[] shape;

    PhantomSetOptions(int cases, int testCases, int[] shape) {
        this.cases = cases;
        this.testCases = testCases;
        this.shape = shape.clone();
    }

    /** The volume size, checked. */
    Shape3 shape() {
        if (cases < 1 || testCases < 0) {
            throw new IllegalArgumentException("--cases must be >= 1 and --test-cases >= 0");
        }
        return Shape3.of(shape);
    }
}
