package org.e2enet.runtime;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.e2enet.core.window.WindowedPrediction;
import org.e2enet.runtime.engine.InFlightRuns;

/**
 * Watches one segmentation on the thread that runs it: an interrupt ({@code Future.cancel(true)}) or the end of
 * its time limit stops the network's run in flight within one tick ({@link InFlightRuns#stop}), and the
 * checkpoint between tiles turns either into the exception the caller sees.
 */
final class CallWatch implements WindowedPrediction.Checkpoint, AutoCloseable {
    /** How often the watcher looks: a stop lands within this of the interrupt or the deadline. */
    static final long TICK_MS = 10;
    /** One daemon thread ticks every watch; it wakes only while some call is watched. */
    private static final ScheduledThreadPoolExecutor TICKER = ticker();

    private final String id;
    private final Thread thread;
    private final Duration limit;
    private final long deadline;
    private volatile boolean fired;
    private boolean closed;
    private volatile int done;
    private volatile int total;
    private ScheduledFuture<?> ticks;

    private static ScheduledThreadPoolExecutor ticker() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "e2enet-call-watch");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true); // a finished call's ticks leave the queue at once
        return t;
    }

    private CallWatch(String id, Duration limit) {
        this.id = id;
        this.thread = Thread.currentThread();
        this.limit = limit;
        this.deadline = limit == null ? 0 : System.nanoTime() + limit.toNanos();
    }

    /**
     * Watches the current thread's segmentation of case {@code id}.
     *
     * @param limit the time limit, or null for none
     */
    static CallWatch start(String id, Duration limit) {
        CallWatch w = new CallWatch(id, limit);
        w.ticks = TICKER.scheduleWithFixedDelay(w::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        return w;
    }

    private boolean late() {
        return limit != null && System.nanoTime() - deadline >= 0;
    }

    private synchronized void tick() {
        if (!closed && !fired && (thread.isInterrupted() || late())) {
            fired = true;
            InFlightRuns.stop(thread);
        }
    }

    /** Throws when the call must stop: interrupted, or past its limit. */
    @Override
    public void check(int tilesDone, int tiles) {
        this.done = tilesDone;
        this.total = tiles;
        if (thread.isInterrupted() || late()) {
            throw stopped();
        }
    }

    /** Whether the watcher stopped the network's run (the engine's error then means this stop). */
    boolean fired() {
        return fired;
    }

    /** The exception for a stopped call: a timeout when the limit passed, a cancellation otherwise. */
    CancellationException stopped() {
        String where = total == 0 ? "before its first tile" : "after " + done + " of " + total + " tiles";
        if (late() && !thread.isInterrupted()) {
            return new SegmentationTimeoutException(String.format(Locale.ROOT, "%s: the time limit of %.3f s passed %s", id,
                    limit.toNanos() / 1e9, where));
        }
        return new CancellationException("interrupted " + where);
    }

    /** Stops watching; the thread's runs go on normally again. */
    @Override
    public synchronized void close() {
        closed = true;
        ticks.cancel(false);
        if (fired) {
            InFlightRuns.resume(thread);
        }
    }
}
