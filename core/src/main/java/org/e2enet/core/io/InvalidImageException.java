package org.e2enet.core.io;

import java.nio.file.Path;

/**
 * An image cannot be used: a NIfTI file that is missing, truncated, corrupt or of a kind e2enet does not
 * read, or a case whose channels do not match the model (their number, a 4D file, another grid in space, NaN values).
 */
public class InvalidImageException extends BadInputException {
    private static final long serialVersionUID = 1L;

    /**
     * @param file the file at fault
     * @param problem what is wrong with it, without the file's name
     */
    public InvalidImageException(Path file, String problem) {
        super(file, problem, null);
    }

    /**
     * @param file the file at fault
     * @param problem what is wrong with it, without the file's name
     * @param cause the underlying failure
     */
    public InvalidImageException(Path file, String problem, Throwable cause) {
        super(file, problem, cause);
    }

    /**
     * @param message the whole message, for a problem that is not one file's
     * @param cause the underlying failure, or null
     */
    public InvalidImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
