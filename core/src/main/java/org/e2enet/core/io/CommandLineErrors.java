package org.e2enet.core.io;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.e2enet.core.check.EngineCheckFailedException;

/**
 * How e2enet's command lines ({@code e2enet}, {@code e2enet-spark}) end on an error: one line on standard error
 * prefixed with the program's name, the stack trace only with {@code --debug}, and an exit code that says what kind
 * of error it was. Kept free of the command-line library so that every module with a command line can share it.
 */
public final class CommandLineErrors {
    /** Exit code of success. */
    public static final int SUCCESS = 0;
    /** Exit code of a failed check (a parity row, an engine check, a diverged training, a failed case). */
    public static final int CHECK_FAILED = 1;
    /** Exit code of bad input (a file, an option, an I/O error). */
    public static final int BAD_INPUT = 2;
    /** Exit code of an internal error. */
    public static final int INTERNAL_ERROR = 3;

    private final String program;
    private final List<Class<? extends Throwable>> checkFailures;

    /**
     * @param program the name that prefixes each message, e.g. {@code e2enet}
     * @param moreCheckFailures exceptions besides {@link EngineCheckFailedException} that report a failed check
     */
    @SafeVarargs
    public CommandLineErrors(String program, Class<? extends Throwable>... moreCheckFailures) {
        this.program = program;
        this.checkFailures = new ArrayList<>(List.of(moreCheckFailures));
        this.checkFailures.add(EngineCheckFailedException.class);
    }

    /**
     * Reports {@code t} and says how to exit.
     *
     * @param t what the command threw
     * @param debug whether to print the stack trace too
     * @param err where to print
     * @return the exit code
     */
    public int report(Throwable t, boolean debug, PrintWriter err) {
        int code;
        String message;
        if (t instanceof BadInputException || t instanceof IllegalArgumentException) {
            code = BAD_INPUT;
            message = t.getMessage();
        } else if (checkFailures.stream().anyMatch(c -> c.isInstance(t))) {
            code = CHECK_FAILED;
            message = t.getMessage();
        } else if (t instanceof UncheckedIOException || t instanceof IOException) {
            code = BAD_INPUT;
            message = "I/O error: " + t.getMessage();
        } else {
            code = INTERNAL_ERROR;
            message = "internal error: " + t + " (run with --debug for the stack trace)";
        }
        err.println(program + ": " + message);
        if (debug) {
            t.printStackTrace(err);
        }
        err.flush();
        return code;
    }
}
