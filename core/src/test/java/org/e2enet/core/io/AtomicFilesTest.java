package org.e2enet.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void theNextWriteOfATargetRemovesTheTemporarySiblingsAKilledRunLeft() throws Exception {
        Path model = dir.resolve("model.onnx");
        Path staleFile = Files.writeString(dir.resolve(".model.onnx.8812731.tmp"), "half");
        Path unrelated = Files.writeString(dir.resolve(".other.onnx.55.tmp"), "someone else's");
        AtomicFiles.writeString(model, "new");
        assertEquals("new", Files.readString(model));
        assertFalse(Files.exists(staleFile), "the killed write's temp file is gone");
        assertTrue(Files.exists(unrelated), "another target's temp file is left alone");

        Path bundle = dir.resolve("bundle");
        AtomicFiles.writeDirectory(bundle, d -> Files.writeString(d.resolve("a"), "1"));
        Path staleDir = Files.createDirectories(dir.resolve(".bundle.4242"));
        Path staleOld = Files.createDirectories(dir.resolve(".bundle.old.4343"));
        AtomicFiles.writeDirectory(bundle, d -> Files.writeString(d.resolve("a"), "2"));
        assertEquals("2", Files.readString(bundle.resolve("a")));
        assertFalse(Files.exists(staleDir) || Files.exists(staleOld), "half-written and superseded copies are gone");
    }

    @Test
    void aKillBetweenTheTwoRenamesLosesNothing() throws Exception {
        Path bundle = dir.resolve("bundle");
        Path old = Files.createDirectories(dir.resolve(".bundle.old.77"));
        Files.writeString(old.resolve("a"), "previous");
        // the target is missing, its previous version waits beside it: the next write restores, then replaces it
        AtomicFiles.writeDirectory(bundle, d -> {
            assertEquals("previous", Files.readString(bundle.resolve("a")), "restored before the new version is written");
            Files.writeString(d.resolve("a"), "next");
        });
        assertEquals("next", Files.readString(bundle.resolve("a")));
        assertFalse(Files.exists(old));
    }

    @Test
    void anUnwritableTargetIsBadInputNamingTheTargetAndTheReason() {
        Path target = Path.of("/proc/e2enet-no-such-dir/model.onnx");
        BadInputException e = assertThrows(BadInputException.class, () -> AtomicFiles.writeString(target, "x"));
        assertTrue(e.getMessage().startsWith(target.toString()) && e.getMessage().contains("cannot be written"), e.getMessage());
        assertFalse(e.getMessage().contains(".tmp"), "the temporary file is not what the user asked for: " + e.getMessage());
        BadInputException early = assertThrows(BadInputException.class, () -> AtomicFiles.requireWritable(target));
        assertTrue(early.getMessage().startsWith(target.toString()), early.getMessage());
    }

    @Test
    void publishedFilesAndDirectoriesTakeTheirModeFromTheUmaskAsFilesWriteWould() throws Exception {
        Path reference = Files.write(dir.resolve("reference.txt"), new byte[] {1});
        Path referenceDir = Files.createDirectory(dir.resolve("reference-dir"));
        Path file = dir.resolve("seg.nii.gz");
        AtomicFiles.write(file, out -> out.write(1));
        assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(file),
                "createTempFile made it 600, unreadable to a reader running as another user");
        Path published = dir.resolve("bundle");
        AtomicFiles.writeDirectory(published, d -> Files.write(d.resolve("x"), new byte[] {1}));
        assertEquals(Files.getPosixFilePermissions(referenceDir), Files.getPosixFilePermissions(published));
        AtomicFiles.writeDirectory(published, d -> Files.write(d.resolve("y"), new byte[] {2}));
        assertTrue(Files.exists(published.resolve("y")) && !Files.exists(published.resolve("x")), "a second write replaces the first");
        try (java.util.stream.Stream<Path> left = Files.list(dir)) {
            assertEquals(java.util.List.of(), left.filter(p -> p.getFileName().toString().startsWith(".")).toList(), "no temporary left");
        }
    }
}
