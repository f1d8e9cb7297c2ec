package org.e2enet.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files and directories so that a reader sees either the old complete content or the new complete
 * content, never half of it: everything is written to a temporary sibling first and then renamed over the
 * target.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Something that writes a file's bytes to a stream. */
    @FunctionalInterface
    public interface StreamWriter {
        /** Writes the whole content to {@code out}. */
        void write(OutputStream out) throws IOException;
    }

    /** Something that fills a (fresh, empty) directory. */
    @FunctionalInterface
    public interface DirectoryWriter {
        /** Writes the whole content into {@code dir}. */
        void write(Path dir) throws IOException;
    }

    /**
     * Writes {@code target} through a temporary file in the same directory and an atomic rename. Temporary
     * siblings of {@code target} that a killed run left behind are removed first. A target that cannot be
     * written (permissions, a full disk, a missing or read-only parent) is bad input naming the target.
     */
    public static void write(Path target, StreamWriter writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path tmp = null;
        try {
            Path dir = abs.getParent();
            Files.createDirectories(dir);
            removeStaleSiblings(abs);
            // not createTempFile, whose files are mode 600 whatever the umask: a reader running as another user (a PACS
            // bridge) must be able to read what is published, as with Files.write
            Path fresh = freshSibling(abs, "", ".tmp");
            OutputStream stream = Files.newOutputStream(fresh, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            tmp = fresh;
            try (OutputStream out = stream) {
                writer.write(out);
            }
            moveAtomically(tmp, abs);
        } catch (IOException e) {
            throw unwritable(abs, e);
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Checks before long work that {@code target} (a file or directory to be written) can be created: its
     * parent exists or can be made, and a file can be written there. Bad input naming the target otherwise.
     */
    public static void requireWritable(Path target) {
        Path abs = target.toAbsolutePath();
        try {
            Files.createDirectories(abs.getParent());
            Path probe = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw unwritable(abs, e);
        }
    }

    /** The one-line error for a target that cannot be written, with the reason the file system gave. */
    private static BadInputException unwritable(Path target, IOException e) {
        String reason;
        if (e instanceof java.nio.file.AccessDeniedException) {
            reason = "permission denied";
        } else if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            reason = f.getReason();
        } else if (e.getMessage() != null) {
            reason = e.getMessage();
        } else {
            reason = e.getClass().getSimpleName();
        }
        return BadInputException.of(target, "cannot be written: " + reason.toLowerCase(java.util.Locale.ROOT), e);
    }

    /**
     * Removes what an interrupted write of {@code target} left beside it: {@code .NAME.<n>.tmp} files,
     * {@code .NAME.<n>} directories, and {@code .NAME.old.<n>} once {@code target} itself exists (otherwise
     * that is the previous version, which {@link #recoverDirectory} puts back).
     */
    static void removeStaleSiblings(Path target) throws IOException {
        Path parent = target.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return;
        }
        String name = target.getFileName().toString();
        java.util.regex.Pattern stale = java.util.regex.Pattern.compile("\\." + java.util.regex.Pattern.quote(name)
                + "\\.(old\\.)?\\d+(\\.tmp)?");
        boolean targetExists = Files.exists(target);
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(parent, p -> stale.matcher(p.getFileName().toString()).matches())) {
            for (Path p : siblings) {
                if (targetExists || !p.getFileName().toString().startsWith("." + name + ".old.")) {
                    deleteRecursively(p);
                }
            }
        }
    }

    /**
     * A sibling of {@code target} named {@code .NAME.<infix><digits><suffix>} (the names {@link #removeStaleSiblings}
     * knows), random enough that nothing else has it; the caller creates it exclusively.
     */
    private static Path freshSibling(Path target, String infix, String suffix) {
        return target.getParent().resolve("." + target.getFileName() + "." + infix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong())
                + suffix);
    }

    /** Writes a UTF-8 text file atomically. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /**
     * Fills a temporary sibling directory and renames it to {@code target}; an existing {@code target} is
     * replaced only once the new one is complete.
     */
    public static void writeDirectory(Path target, DirectoryWriter writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path parent = abs.getParent();
        Path tmp;
        try {
            Files.createDirectories(parent);
            recoverDirectory(abs);
            removeStaleSiblings(abs);
            tmp = Files.createDirectory(freshSibling(abs, "", "")); // its mode from the umask (createTempDirectory gives 700)
        } catch (IOException e) {
            throw unwritable(abs, e);
        }
        try {
            writer.write(tmp);
            if (Files.exists(abs)) {
                Path old = freshSibling(abs, "old.", "");
                Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
                deleteRecursively(old);
            } else {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw unwritable(abs, e);
        } finally {
            if (Files.exists(tmp)) {
                deleteRecursively(tmp);
            }
        }
    }

    /**
     * Completes a directory replacement that a stop interrupted between its two renames: when {@code target}
     * is missing but the previous version waits beside it, it is put back. Returns whether anything was restored.
     */
    public static boolean recoverDirectory(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        if (Files.exists(abs) || abs.getParent() == null || !Files.isDirectory(abs.getParent())) {
            return false;
        }
        String prefix = "." + abs.getFileName() + ".old.";
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(abs.getParent(), prefix + "*")) {
            for (Path old : siblings) {
                Files.move(old, abs, StandardCopyOption.ATOMIC_MOVE);
                return true;
            }
        }
        return false;
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes a file or a directory tree; a missing path is fine. */
    public static void deleteRecursively(Path path) throws IOException {
        if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(path)) {
                for (Path child : children) {
                    deleteRecursively(child);
                }
            }
        }
        Files.deleteIfExists(path);
    }

    /** {@link #deleteRecursively} for callers that cannot throw checked exceptions. */
    public static void deleteQuietly(Path path) {
        try {
            deleteRecursively(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
