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

    /** A network run given its run options. */
    interface Run<T> {
        T run(OrtSession.RunOptions options) throws OrtException;
    }

    /**
     * Runs {@code body} as the current thread's run in flight, so that {@link #stop} reaches it, and maps ONNX
     * Runtime's failure to one line naming the input's shape.
     *
     * @param shape the input's shape, for the message
     * @param body the run
     * @param <T> what it returns
     * @return what {@code body} returned
     */
    static <T> T run(long[] shape, Run<T> body) {
        OrtSession.RunOptions options = null;
        try {
            options = begin();
            return body.run(options);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on an input of shape " + java.util.Arrays.toString(shape) + ": "
                    + OrtSessions.firstLine(e.getMessage()), e);
        } finally {
            if (options != null) {
                end(options);
            }
        }
    }

    /** The run options of a run the current thread starts now; {@link #end} them after the run. */
    private static OrtSession.RunOptions begin() throws OrtException {
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
    private static void end(OrtSession.RunOptions options) {
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
