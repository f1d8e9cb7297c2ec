package org.e2enet.core.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.e2enet.core.io.BadInputException;

/**
 * The property every reader's fuzz target checks: on any input the reader either succeeds or throws the
 * project's one-line bad-input exception naming the file; any other exception, an out-of-memory error or more
 * than {@link #MAX_MILLIS} ms for one input (that loads no new class: loading and instrumenting classes is the
 * fuzzer's cost, not the reader's) is a finding.
 */
final class FuzzProperty {
    /** The longest one input may take. */
    static final long MAX_MILLIS = 2000;
    private static final ThreadLocal<Path> SCRATCH = ThreadLocal.withInitial(() -> {
        try {
            return Files.createTempDirectory("e2enet-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    });

    /** What a target does with the file holding the input. */
    interface Reader {
        void read(Path file) throws Exception;
    }

    private static final java.lang.management.ClassLoadingMXBean CLASSES = java.lang.management.ManagementFactory.getClassLoadingMXBean();

    private FuzzProperty() {
    }

    /** Writes {@code input} to a scratch file called {@code name} and checks {@code reader} on it. */
    static void check(byte[] input, String name, Reader reader) throws Exception {
        Path file = SCRATCH.get().resolve(name);
        Files.write(file, input);
        long loaded = CLASSES.getTotalLoadedClassCount();
        long t0 = System.nanoTime();
        try {
            reader.read(file);
        } catch (BadInputException e) {
            if (e.getMessage() == null || e.getMessage().isBlank() || e.getMessage().contains("\n")) {
                throw new AssertionError("a bad-input message must be one non-empty line: " + e.getMessage(), e);
            }
            // the file read, or the directory holding it (a bundle is read as a directory)
            if (!e.getMessage().contains(file.getFileName().toString()) && !e.getMessage().contains(file.getParent().toString())) {
                throw new AssertionError("a bad-input message must name the file " + file + ": " + e.getMessage(), e);
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (CLASSES.getTotalLoadedClassCount() != loaded) {
            return; // this input reached code not run before: its time is class loading and the fuzzer's instrumentation
        }
        if (ms > MAX_MILLIS) {
            throw new AssertionError("one input took " + ms + " ms (limit " + MAX_MILLIS + " ms)");
        }
    }

    /** The scratch directory of this thread (for targets that read a directory). */
    static Path scratch() {
        return SCRATCH.get();
    }
}
