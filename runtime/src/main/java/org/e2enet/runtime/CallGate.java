package org.e2enet.runtime;

/**
 * Counts the calls in flight on something that can be closed, so that a close refuses new calls and waits for the
 * running ones before the native memory under them is freed.
 */
final class CallGate {
    private int inFlight;
    private boolean closed;

    /**
     * Admits a call.
     *
     * @throws IllegalStateException "closed" once {@link #close()} has begun
     */
    synchronized void enter() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        inFlight++;
    }

    /** Ends a call admitted by {@link #enter()}. */
    synchronized void exit() {
        if (--inFlight == 0) {
            notifyAll();
        }
    }

    /** @return the calls in flight now */
    synchronized int inFlight() {
        return inFlight;
    }

    /**
     * Refuses new calls and waits for those in flight; a wait interrupted goes on waiting and leaves the thread
     * interrupted.
     *
     * @return true for the first close, false when it was closed before
     */
    boolean close() {
        boolean interrupted = false;
        try {
            synchronized (this) {
                if (closed) {
                    return false;
                }
                closed = true;
                while (inFlight > 0) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                return true;
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
