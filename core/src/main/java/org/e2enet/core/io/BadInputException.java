package org.e2enet.core.io;

import java.nio.file.Path;

/**
 * A problem with something the user gave us (a file, a directory, a spec, an option): the message is one
 * line that names the file and the problem, fit to print as it is. The command line maps it to exit code 2.
 */
public class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message the whole message; control characters (newlines in a file's own names, say) are shown as {@code ?} */
    public BadInputException(String message) {
        super(oneLine(message));
    }

    /** @param message the whole message, made one line; @param cause the underlying failure (shown with --debug) */
    public BadInputException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** The message with every control character replaced, so it prints as exactly one line. */
    private static String oneLine(String message) {
        return message == null ? null : message.replaceAll("\\p{Cntrl}", "?");
    }

    /** A message of the form {@code FILE: problem}. */
    public static BadInputException of(Path file, String problem) {
        return new BadInputException(file + ": " + problem);
    }

    /** A message of the form {@code FILE: problem}, keeping the cause for debugging. */
    public static BadInputException of(Path file, String problem, Throwable cause) {
        return new BadInputException(file + ": " + problem, cause);
    }
}
