package org.e2enet.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads user-supplied files, turning I/O failures into one-line {@link BadInputException}s naming the file. */
public final class InputFiles {
    private InputFiles() {
    }

    /** Reads a UTF-8 text file. */
    public static String readString(Path file) {
        if (Files.isDirectory(file)) {
            throw BadInputException.of(file, "is a directory, not a file");
        }
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw BadInputException.of(file, "no such file");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw BadInputException.of(file, "is not UTF-8 text", e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw BadInputException.of(file, "cannot read (permission denied)", e);
        } catch (IOException e) {
            throw BadInputException.of(file, "cannot read (" + e.getMessage() + ")", e);
        }
    }
}
