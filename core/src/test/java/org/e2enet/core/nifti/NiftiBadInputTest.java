package org.e2enet.core.nifti;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.volume.Geometry;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.volume.Spacing3;
import org.e2enet.core.volume.Volume;
import org.e2enet.core.volume.VoxelData;
import org.e2enet.core.volume.VoxelType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NiftiBadInputTest {
    @TempDir
    Path dir;
    byte[] good;

    @BeforeEach
    void writeGood() throws Exception {
        Volume v = Volume.zeros(Geometry.of(new Shape3(4, 5, 6), new Spacing3(1, 1, 1)), VoxelType.INT16, 1);
        Path f = dir.resolve("good.nii");
        NiftiWriter.standard().write(v, f);
        good = Files.readAllBytes(f);
    }

    private String fails(byte[] content, String name) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, content);
        BadInputException e = assertThrows(BadInputException.class, () -> NiftiReader.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), "names the file: " + e.getMessage());
        return e.getMessage();
    }

    private byte[] patched(int offset, short value) {
        byte[] b = good.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(offset, value);
        return b;
    }

    @Test
    void notNifti() throws Exception {
        assertTrue(fails("hello, this is text and not an image at all".repeat(20).getBytes(), "t.nii").contains("not a NIfTI"));
        assertTrue(fails(new byte[] {1, 2}, "short.nii").contains("not a NIfTI"));
    }

    @Test
    void wrongMagic() throws Exception {
        byte[] b = good.clone();
        b[344] = 'x';
        assertTrue(fails(b, "m.nii").contains("wrong magic"));
        b[344] = 'n';
        b[345] = 'i';
        assertTrue(fails(b, "pair.nii").contains(".hdr/.img"));
    }

    @Test
    void truncated() throws Exception {
        assertTrue(fails(java.util.Arrays.copyOf(good, good.length - 10), "cut.nii").contains("truncated"));
        assertTrue(fails(java.util.Arrays.copyOf(good, 200), "cuthdr.nii").contains("truncated"));
        byte[] gz = gzip(java.util.Arrays.copyOf(good, good.length - 10));
        assertTrue(fails(gz, "cut.nii.gz").contains("truncated"));
        byte[] gzFull = gzip(good);
        byte[] gzCut = java.util.Arrays.copyOf(gzFull, gzFull.length / 2);
        String msg = fails(gzCut, "cutgz.nii.gz");
        assertTrue(msg.contains("truncated") || msg.contains("gzip"), msg);
    }

    @Test
    void aNonFiniteOrientationOrOffsetIsBadInputNamingTheFile() throws Exception {
        byte[] nanSrow = good.clone();
        ByteBuffer.wrap(nanSrow).order(ByteOrder.LITTLE_ENDIAN).putFloat(280, Float.NaN);
        assertTrue(fails(nanSrow, "srow.nii").contains("orientation"));
        byte[] infQuatern = good.clone();
        ByteBuffer b = ByteBuffer.wrap(infQuatern).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(254, (short) 0).putFloat(268, Float.POSITIVE_INFINITY);
        assertTrue(fails(infQuatern, "qoffset.nii").contains("orientation"));
        byte[] nanOffset = good.clone();
        ByteBuffer.wrap(nanOffset).order(ByteOrder.LITTLE_ENDIAN).putFloat(108, Float.NaN);
        assertTrue(fails(nanOffset, "voxoffset.nii").contains("vox_offset NaN"));
    }

    @Test
    void badDims() throws Exception {
        assertTrue(fails(patched(42, (short) -5), "neg.nii").contains("dim[1] = -5"));
        assertTrue(fails(patched(42, (short) 0), "zero.nii").contains("dim[1] = 0"));
        assertTrue(fails(patched(40, (short) 9), "rank.nii").contains("dim[0]"));
        byte[] b = patched(42, (short) 32000);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(44, (short) 32000).putShort(46, (short) 32000);
        assertTrue(fails(b, "huge.nii").contains("per channel"));
        assertTrue(fails(patched(70, (short) 1024), "dtype.nii").contains("unsupported datatype"));
        assertTrue(fails(patched(72, (short) 8), "bitpix.nii").contains("bitpix"));
    }

    @Test
    void nifti2DimsWhoseProductOverflows() throws Exception {
        Volume v = Volume.zeros(Geometry.of(new Shape3(2, 2, 2), new Spacing3(1, 1, 1)), VoxelType.FLOAT32, 1);
        Path f = dir.resolve("v2.nii");
        NiftiWriter.of(NiftiWriter.Version.NIFTI2, ByteOrder.LITTLE_ENDIAN).write(v, f);
        byte[] b = Files.readAllBytes(f);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        bb.putLong(24, 1L << 40).putLong(32, 1L << 40).putLong(40, 1L << 40);
        assertTrue(fails(b, "overflow.nii").contains("overflow"));
        bb.putLong(24, -3);
        assertTrue(fails(b, "negative.nii").contains("dim[1] = -3"));
    }

    @Test
    void gzipBombIsRefusedBeforeAllocating() throws Exception {
        // a header claiming 2000x2000x500 int16 (4 GB) followed by very compressible zeros
        byte[] b = patched(42, (short) 2000);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(44, (short) 2000).putShort(46, (short) 500);
        String msg = fails(gzip(b), "bomb.nii.gz");
        assertTrue(msg.contains("more than") || msg.contains("GiB"), msg);
    }

    private static byte[] gzip(byte[] data) throws Exception {
        var bos = new java.io.ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bos)) {
            out.write(data);
        }
        return bos.toByteArray();
    }

    /** A gzipped copy of a volume with varied voxels (so corruption inside the deflate stream changes values). */
    private byte[] gzippedVaried() throws Exception {
        VoxelData d = VoxelData.allocate(VoxelType.INT16, 20 * 30 * 40);
        for (int i = 0; i < d.length(); i++) {
            d.set(i, (i * 7919L) % 1400 - 1000);
        }
        Path f = dir.resolve("varied.nii");
        NiftiWriter.standard().write(Volume.of(Geometry.of(new Shape3(20, 30, 40), new Spacing3(1, 1, 1)), d), f);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(Files.readAllBytes(f));
        }
        return bytes.toByteArray();
    }

    @Test
    void gzipTrailersAreChecked() throws Exception {
        byte[] gz = gzippedVaried();
        byte[] badCrc = gz.clone();
        badCrc[gz.length - 8] ^= 0x01;
        assertTrue(fails(badCrc, "crc.nii.gz").contains("corrupt gzip data (CRC mismatch)"));
        byte[] badSize = gz.clone();
        badSize[gz.length - 1] ^= 0x01;
        assertTrue(fails(badSize, "isize.nii.gz").contains("corrupt gzip data"));
        byte[] midStream = gz.clone();
        for (int i = gz.length / 2; i < gz.length / 2 + 40; i++) {
            midStream[i] ^= 0x5a;
        }
        assertTrue(fails(midStream, "mid.nii.gz").contains("corrupt gzip data"));
    }

    @Test
    void aMultiMemberGzipIsReadWhole() throws Exception {
        byte[] gz = gzippedVaried();
        Path whole = dir.resolve("one.nii.gz");
        Files.write(whole, gz);
        // the same bytes split over two gzip members, as concatenated .gz files are
        byte[] raw;
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            raw = in.readAllBytes();
        }
        java.io.ByteArrayOutputStream two = new java.io.ByteArrayOutputStream();
        for (int[] part : new int[][] {{0, raw.length / 3}, {raw.length / 3, raw.length}}) {
            java.io.ByteArrayOutputStream member = new java.io.ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(member)) {
                out.write(raw, part[0], part[1] - part[0]);
            }
            two.write(member.toByteArray());
        }
        Path multi = dir.resolve("two.nii.gz");
        Files.write(multi, two.toByteArray());
        Volume a = NiftiReader.read(whole);
        Volume b = NiftiReader.read(multi);
        for (int i = 0; i < a.shape().voxelsInt(); i += 37) {
            assertTrue(a.value(0, i) == b.value(0, i));
        }
    }
}
