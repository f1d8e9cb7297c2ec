package org.e2enet.runtime;

import java.util.HashSet;
import java.util.Set;
import org.e2enet.core.window.WindowedPrediction;

/**
 * Admits segmentations while the memory they are estimated to need ({@link CaseMemory}) fits a budget, and queues
 * the rest in arrival order, so that many concurrent requests neither run the JVM out of heap nor thrash. A case
 * larger than the whole budget runs alone.
 */
final class MemoryAdmission {
    private final long budget;
    private long inUse;
    private int cases;
    private long nextTicket;
    private long serving;
    /** Tickets whose callers gave up before their turn. */
    private final Set<Long> abandoned = new HashSet<>();

    /** @param budget bytes the admitted cases may need together */
    MemoryAdmission(long budget) {
        this.budget = budget;
    }


    /**
     * Waits until a case needing {@code bytes} fits, in arrival order.
     *
     * @param bytes the case's estimate
     * @param stop asked while waiting (with 0 of 0 tiles done); what it throws ends the wait
     * @return the admission, to close when the case is done
     */
    Admitted admit(long bytes, WindowedPrediction.Checkpoint stop) {
        long ticket;
        synchronized (this) {
            ticket = nextTicket++;
        }
        try {
            synchronized (this) {
                while (ticket != serving || (inUse > 0 && inUse + bytes > budget)) {
                    stop.check(0, 0);
                    try {
                        wait(CallWatch.TICK_MS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                inUse += bytes;
                cases++;
                serving++;
                skipAbandoned();
                notifyAll();
            }
        } catch (RuntimeException e) {
            abandon(ticket);
            throw e;
        }
        return () -> release(bytes);
    }

    /** A caller that gives up its place lets the queue move past its ticket. */
    private synchronized void abandon(long ticket) {
        if (ticket == serving) {
            serving++;
            skipAbandoned();
        } else if (ticket > serving) {
            abandoned.add(ticket);
        }
        notifyAll();
    }

    private void skipAbandoned() {
        while (abandoned.remove(serving)) {
            serving++;
        }
    }

    private synchronized void release(long bytes) {
        inUse -= bytes;
        cases--;
        notifyAll();
    }

    /** @return the bytes admitted now */
    synchronized long inUse() {
        return inUse;
    }

    /** @return the cases admitted now */
    synchronized int cases() {
        return cases;
    }

    /** One case's admission. */
    interface Admitted extends AutoCloseable {
        /** Frees the case's share of the budget. */
        @Override
        void close();
    }
}
