package org.e2enet.core.io;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A problem with something the user gave us (a file, a directory, a spec, an option): the message is one
 * line that names the file and the problem, fit to print as it is. The command line maps it to exit code 2.
 *
 * <p>Three kinds a service routes on are subclasses: {@link ModelLoadException} (the model cannot be loaded), {@link
 * InvalidImageException} (an image given to segment cannot be used) and {@link BackendUnavailableException} (the
 * backend asked for cannot run on this machine). The file at fault travels as {@link #file()}.
 */
public class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** The file at fault, or null; a {@link Path} is not serialisable, so the exception keeps its text. */
    private final String file;
    /** What is wrong, without the file's name: the whole message when no file is at fault. */
    private final String problem;

    /** @param message the whole message; control characters (newlines in a file's own names, say) are shown as {@code ?} */
    public BadInputException(String message) {
        this(message, (Throwable) null);
    }

    /**
     * @param message the whole message, made one line
     * @param cause the underlying failure (shown with --debug)
     */
    public BadInputException(String message, Throwable cause) {
        super(oneLine(message), cause);
        this.file = null;
        this.problem = getMessage();
    }

    /**
     * A problem with one file: the message is {@code FILE: problem}.
     *
     * @param file the file at fault
     * @param problem what is wrong with it, without the file's name
     * @param cause the underlying failure, or null
     */
    protected BadInputException(Path file, String problem, Throwable cause) {
        super(oneLine(file + ": " + problem), cause);
        this.file = file.toString();
        this.problem = oneLine(problem);
    }

    /**
     * The file at fault, when there is one: a service that must not log paths (they may hold patient identifiers)
     * logs {@link #problem()} instead of the message.
     *
     * @return the file, or empty when the problem is not one file's
     */
    public Optional<Path> file() {
        return Optional.ofNullable(file).map(Path::of);
    }

    /** @return what is wrong, without the file's name (the whole message when no file is at fault) */
    public String problem() {
        return problem;
    }

    /** The message with every control character replaced, so it prints as exactly one line. */
    private static String oneLine(String message) {
        return message == null ? null : message.replaceAll("\\p{Cntrl}", "?");
    }

    /**
     * @param file the file at fault
     * @param problem what is wrong with it
     * @return an exception whose message is {@code FILE: problem}
     */
    public static BadInputException of(Path file, String problem) {
        return new BadInputException(file, problem, null);
    }

    /**
     * @param file the file at fault
     * @param problem what is wrong with it
     * @param cause the underlying failure, kept for debugging
     * @return an exception whose message is {@code FILE: problem}
     */
    public static BadInputException of(Path file, String problem, Throwable cause) {
        return new BadInputException(file, problem, cause);
    }
}
