package org.e2enet.trainer.loop;

/** Where training runs ({@code --device}). */
public enum TrainingDevice {
    /** the CPU. */
    CPU,
    /** the first GPU the PyTorch engine sees (needs the {@code -Pcuda} build). */
    GPU
}
