package org.e2enet.cli;

import picocli.CommandLine.Option;

/** {@code --threads}: CPU threads for whatever engine the command runs (training or inference). */
final class ThreadsOption {
    @Option(names = "--threads", description = "CPU threads (default: all cores).")
    Integer threads;

    /** The count asked for, or every core. */
    int count() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** Whether the user chose a count. */
    boolean given() {
        return threads != null;
    }

    /** Hands the count to DJL's PyTorch engine (intra-op threads; one inter-op thread when the user chose a count). */
    void applyToTrainingEngine() {
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(count()));
        if (given()) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }
}
