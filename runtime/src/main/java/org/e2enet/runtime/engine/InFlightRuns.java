package org.e2enet.runtime.engine;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The ONNX Runtime runs in flight, by the thread waiting on each, so that a segmentation cancelled or past its time
 * limit stops the run it is waiting on ({@code RunOptions.setTerminate}) instead of finishing a tile that may take
 * seconds. Native TensorRT runs a tile to its end: its calls are stopped between tiles.
 */
public final class InFlightRuns {
    /** Guards both collections, so that a stop never reaches run options already closed. */
    private static final Object LOCK = new Object();
    private static final Map<Thread, OrtSession.RunOptions> RUNS = new HashMap<>();
    /** Threads stopped and not yet resumed: a run they start is stopped at once. */
    private static final Set<Thread> STOPPED = new HashSet<>();

    private InFlightRuns() {
    }

    /** The run options of a run the current thread starts now; {@link #end} them after the run. */
    static OrtSession.RunOptions begin() throws OrtException {
        OrtSession.RunOptions options = new OrtSession.RunOptions();
        Thread t = Thread.currentThread();
        synchronized (LOCK) {
            if (STOPPED.contains(t)) {
                options.setTerminate(true);
            }
            RUNS.put(t, options);
        }
        return options;
    }

    /** Ends the current thread's run begun with {@code options}. */
    static void end(OrtSession.RunOptions options) {
        synchronized (LOCK) {
            RUNS.remove(Thread.currentThread(), options);
        }
        options.close();
    }

    /**
     * Stops the run {@code thread} waits on, if any, and every run it starts until {@link #resume}d: ONNX Runtime
     * ends the run early with an error.
     *
     * @param thread the thread whose work is stopped
     */
    public static void stop(Thread thread) {
        synchronized (LOCK) {
            STOPPED.add(thread);
            OrtSession.RunOptions options = RUNS.get(thread);
            if (options != null) {
                try {
                    options.setTerminate(true);
                } catch (OrtException e) {
                    throw new IllegalStateException("ONNX Runtime cannot stop a run: " + OrtSessions.firstLine(e.getMessage()), e);
                }
            }
        }
    }

    /**
     * Lets {@code thread}'s runs go on again after {@link #stop}.
     *
     * @param thread the thread whose work was stopped
     */
    public static void resume(Thread thread) {
        synchronized (LOCK) {
            STOPPED.remove(thread);
        }
    }
}
