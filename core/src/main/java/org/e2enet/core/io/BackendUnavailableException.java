package org.e2enet.core.io;

import java.nio.file.Path;

/**
 * The backend asked for cannot run on this machine: a GPU library missing or of the wrong version, no GPU,
 * or the native TensorRT jars absent from the class path. The model was not the problem; the message says what to
 * install, and {@code Backend.AUTO} or the CPU backend would run it.
 */
public class BackendUnavailableException extends BadInputException {
    private static final long serialVersionUID = 1L;

    /**
     * @param file the file at fault
     * @param problem what is wrong with it, without the file's name
     */
    public BackendUnavailableException(Path file, String problem) {
        super(file, problem, null);
    }

    /**
     * @param file the file at fault
     * @param problem what is wrong with it, without the file's name
     * @param cause the underlying failure
     */
    public BackendUnavailableException(Path file, String problem, Throwable cause) {
        super(file, problem, cause);
    }

    /**
     * @param message the whole message, for a problem that is not one file's
     * @param cause the underlying failure, or null
     */
    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
