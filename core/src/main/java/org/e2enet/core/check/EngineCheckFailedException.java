package org.e2enet.core.check;

/**
 * An engine computes wrong numbers on this machine for an operation the work needs: the work is refused
 * before it starts. The message is one line naming the operation, the error and the CPU.
 */
public final class EngineCheckFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient EngineCheckReport report;

    /** @param message the one-line refusal; @param report what the check found */
    public EngineCheckFailedException(String message, EngineCheckReport report) {
        super(message);
        this.report = report;
    }

    /** What the check found. */
    public EngineCheckReport report() {
        return report;
    }
}
