package org.e2enet.core.io;

import java.nio.file.Path;

/**
 * A model cannot be loaded: the file is missing, is not ONNX, is not a model e2enet exported, carries
 * metadata e2enet cannot read, or its engine refuses it. Nothing about the machine: another file may load.
 */
public class ModelLoadException extends BadInputException {
    private static final long serialVersionUID = 1L;

    /**
     * @param file the file at fault
     * @param problem what is wrong with it, without the file's name
     */
    public ModelLoadException(Path file, String problem) {
        super(file, problem, null);
    }

    /**
     * @param file the file at fault
     * @param problem what is wrong with it, without the file's name
     * @param cause the underlying failure
     */
    public ModelLoadException(Path file, String problem, Throwable cause) {
        super(file, problem, cause);
    }

    /**
     * @param message the whole message, for a problem that is not one file's
     * @param cause the underlying failure, or null
     */
    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
