package org.e2enet.core.nifti;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.e2enet.core.io.InvalidImageException;
import org.e2enet.core.volume.Affine;
import org.e2enet.core.volume.Geometry;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.volume.Spacing3;
import org.e2enet.core.volume.Volume;
import org.e2enet.core.volume.VoxelData;
import org.e2enet.core.volume.VoxelType;

/**
 * Reads NIfTI-1 and NIfTI-2 single files ({@code .nii}, {@code .nii.gz}; gzip is recognised by its magic
 * bytes) of either byte order into a {@link Volume}. The 4th axis, if any, becomes the channels. The
 * affine comes from the sform when sform_code &gt; 0, else from the qform when qform_code &gt; 0, else from
 * pixdim (NIfTI "method 1": diag(pixdim), no offset). Every problem is reported as a
 * {@link InvalidImageException} naming the file; nothing is allocated before the header has been checked
 * against the file size and the memory the JVM has.
 */
public final class NiftiReader {
    /** Deflate cannot compress better than about 1032:1; a header that claims more data is lying. */
    private static final long MAX_DEFLATE_RATIO = 1100;
    private static final int CHUNK = 1 << 20;

    private NiftiReader() {
    }

    /** A file's header and its voxels, read in one pass. */
    public record NiftiFile(NiftiHeader header, Volume volume) {
    }

    /** Reads the whole file. */
    public static Volume read(Path file) {
        return readFile(file).volume();
    }

    /** Reads the whole file, keeping the header. */
    public static NiftiFile readFile(Path file) {
        return withStream(file, in -> {
            NiftiHeader h = parseHeader(file, in);
            NiftiFile f = new NiftiFile(h, readVoxels(file, in, h));
            readToEnd(in);
            return f;
        });
    }

    /**
     * Reads what follows the voxels to the end of the stream, so that a gzip stream checks the CRC-32 and
     * length trailers of every member (corrupt deflate data can inflate to plausible values; only the trailer
     * tells).
     */
    private static void readToEnd(InputStream in) throws IOException {
        byte[] skip = new byte[1 << 16];
        while (in.read(skip) >= 0) {
            // discard
        }
    }

    /** Reads the header only. */
    public static NiftiHeader readHeader(Path file) {
        return withStream(file, in -> parseHeader(file, in));
    }

    private interface StreamReader<T> {
        T read(InputStream in) throws IOException;
    }

    private static <T> T withStream(Path file, StreamReader<T> reader) {
        try (InputStream in = open(file)) {
            return reader.read(in);
        } catch (NoSuchFileException e) {
            throw new InvalidImageException(file, "no such file");
        } catch (ZipException e) {
            String why = e.getMessage() != null && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("trailer")
                    ? "CRC mismatch" : e.getMessage();
            throw new InvalidImageException(file, "corrupt gzip data (" + why + ")", e);
        } catch (EOFException e) {
            throw new InvalidImageException(file, "truncated: the file ends before its header or voxel data do", e);
        } catch (IOException e) {
            throw new InvalidImageException(file, "cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** {@link #geometry(NiftiHeader)}, with an unusable orientation (non-finite qform or sform) as bad input naming {@code file}. */
    public static Geometry geometry(Path file, NiftiHeader h) {
        try {
            return geometry(h);
        } catch (IllegalArgumentException e) {
            throw new InvalidImageException(file, "unusable orientation: " + e.getMessage() + " (qform/sform)", e);
        }
    }

    /** The geometry a header describes (shape, spacing in mm, affine by the sform/qform/pixdim rule). */
    private static Geometry geometry(NiftiHeader h) {
        Shape3 shape = new Shape3((int) h.size(3), (int) h.size(2), (int) h.size(1));
        double unit = h.unitToMm();
        double[] zoom = new double[4];
        for (int k = 1; k <= 3; k++) {
            double p = Math.abs(h.pixdim()[k]) * unit;
            zoom[k] = (p > 0 && Double.isFinite(p)) ? p : 1.0;
        }
        Spacing3 spacing = new Spacing3(zoom[3], zoom[2], zoom[1]);
        Affine qform = null;
        if (h.qformCode() > 0) {
            double[] q = h.quatern();
            qform = new NiftiQuaternion(q[0], q[1], q[2], q[3] * unit, q[4] * unit, q[5] * unit,
                    zoom[1], zoom[2], zoom[3], h.pixdim()[0]).toAffine();
        }
        Affine affine;
        if (h.sformCode() > 0) {
            double[][] rows = new double[3][4];
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 4; c++) {
                    rows[r][c] = h.srow()[r][c] * unit;
                }
            }
            affine = Affine.of(rows);
        } else if (qform != null) {
            affine = qform;
        } else {
            affine = Affine.of(new double[][] {{zoom[1], 0, 0, 0}, {0, zoom[2], 0, 0}, {0, 0, zoom[3], 0}});
        }
        Affine separateQform = qform != null && !qform.approxEquals(affine, 1e-4) ? qform : null;
        return new Geometry(shape, spacing, affine, h.qformCode(), h.sformCode(), separateQform);
    }

    private static InputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new GZIPInputStream(raw, 1 << 16);
        }
        return raw;
    }

    static NiftiHeader parseHeader(Path file, InputStream in) throws IOException {
        byte[] first = in.readNBytes(4);
        if (first.length < 4) {
            throw new InvalidImageException(file, "not a NIfTI file: only " + first.length + " bytes");
        }
        ByteBuffer probe = ByteBuffer.wrap(first);
        ByteOrder order = null;
        int size = 0;
        for (ByteOrder o : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            int v = probe.order(o).getInt(0);
            if (v == NiftiHeader.NIFTI1_SIZE || v == NiftiHeader.NIFTI2_SIZE) {
                order = o;
                size = v;
            }
        }
        if (order == null) {
            throw new InvalidImageException(file, "not a NIfTI file: sizeof_hdr is neither 348 (NIfTI-1) nor 540 (NIfTI-2)");
        }
        byte[] rest = in.readNBytes(size - 4);
        if (rest.length < size - 4) {
            throw new InvalidImageException(file, "truncated: the file ends inside its " + size + "-byte header");
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(order);
        b.put(first).put(rest);
        NiftiHeader h = size == NiftiHeader.NIFTI1_SIZE ? parse1(file, b, order) : parse2(file, b, order);
        validate(file, h);
        return h;
    }

    private static NiftiHeader parse1(Path file, ByteBuffer b, ByteOrder order) {
        String magic = ascii(b, 344, 4);
        if (magic.equals("ni1")) {
            throw new InvalidImageException(file, "a separate .hdr/.img pair: only single-file NIfTI (.nii, .nii.gz) is supported");
        }
        if (!magic.equals("n+1")) {
            throw new InvalidImageException(file, "not a NIfTI-1 file: wrong magic '" + printable(magic) + "' (expected 'n+1')");
        }
        long[] dim = new long[8];
        double[] pixdim = new double[8];
        for (int k = 0; k < 8; k++) {
            dim[k] = b.getShort(40 + 2 * k);
            pixdim[k] = b.getFloat(76 + 4 * k);
        }
        double[] quatern = new double[6];
        for (int k = 0; k < 6; k++) {
            quatern[k] = b.getFloat(256 + 4 * k);
        }
        double[][] srow = new double[3][4];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                srow[r][c] = b.getFloat(280 + 16 * r + 4 * c);
            }
        }
        float voxOffset = b.getFloat(108);
        if (!Float.isFinite(voxOffset)) {
            throw new InvalidImageException(file, "vox_offset " + voxOffset + " is not a byte offset");
        }
        return new NiftiHeader(1, order, dim, b.getShort(70), b.getShort(72), pixdim, (long) voxOffset,
                b.getFloat(112), b.getFloat(116), b.getShort(252), b.getShort(254), quatern, srow,
                b.get(123) & 0xFF, ascii(b, 148, 80));
    }

    private static NiftiHeader parse2(Path file, ByteBuffer b, ByteOrder order) {
        String magic = ascii(b, 4, 3);
        if (!magic.equals("n+2")) {
            throw new InvalidImageException(file, "not a NIfTI-2 file: wrong magic '" + printable(magic) + "' (expected 'n+2')");
        }
        long[] dim = new long[8];
        double[] pixdim = new double[8];
        for (int k = 0; k < 8; k++) {
            dim[k] = b.getLong(16 + 8 * k);
            pixdim[k] = b.getDouble(104 + 8 * k);
        }
        double[] quatern = new double[6];
        for (int k = 0; k < 6; k++) {
            quatern[k] = b.getDouble(352 + 8 * k);
        }
        double[][] srow = new double[3][4];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                srow[r][c] = b.getDouble(400 + 32 * r + 8 * c);
            }
        }
        return new NiftiHeader(2, order, dim, b.getShort(12), b.getShort(14), pixdim, b.getLong(168),
                b.getDouble(176), b.getDouble(184), b.getInt(344), b.getInt(348), quatern, srow,
                b.getInt(500), ascii(b, 240, 80));
    }

    private static void validate(Path file, NiftiHeader h) {
        long rank = h.dim()[0];
        if (rank < 1 || rank > 7) {
            throw new InvalidImageException(file, "invalid dim[0] = " + rank + " (must be 1..7)");
        }
        for (int k = 1; k <= rank; k++) {
            if (h.dim()[k] <= 0) {
                throw new InvalidImageException(file, "invalid dim[" + k + "] = " + h.dim()[k] + " (sizes must be positive)");
            }
        }
        for (int k = 5; k <= rank; k++) {
            if (h.dim()[k] != 1) {
                throw new InvalidImageException(file, "has " + rank + " dimensions (dim[" + k + "] = " + h.dim()[k]
                        + "); only 3D images and 4D channel stacks are supported");
            }
        }
        VoxelType type = VoxelType.fromNiftiCode(h.datatype()).orElseThrow(() -> new InvalidImageException(file,
                "unsupported datatype code " + h.datatype()
                        + " (supported: uint8, int8, int16, uint16, int32, float32, float64)"));
        if (h.bitpix() != type.bytes() * 8) {
            throw new InvalidImageException(file, "bitpix " + h.bitpix() + " does not match datatype " + type.label());
        }
        long perChannel;
        try {
            perChannel = Math.multiplyExact(Math.multiplyExact(h.size(1), h.size(2)), h.size(3));
            Math.multiplyExact(Math.multiplyExact(perChannel, h.size(4)), (long) type.bytes());
        } catch (ArithmeticException e) {
            throw new InvalidImageException(file, "dims " + dimsText(h) + " overflow: the image cannot exist");
        }
        if (perChannel > Shape3.MAX_VOXELS) {
            throw new InvalidImageException(file, "dims " + dimsText(h) + " give " + perChannel
                    + " voxels per channel, more than one channel may hold (" + Shape3.MAX_VOXELS + ")");
        }
        long minOffset = h.version() == 1 ? NiftiHeader.NIFTI1_SIZE : NiftiHeader.NIFTI2_SIZE;
        if (h.voxOffset() < minOffset) {
            throw new InvalidImageException(file, "vox_offset " + h.voxOffset() + " lies inside the header");
        }
        if (Double.isInfinite(h.sclSlope()) || Double.isInfinite(h.sclInter())) {
            throw new InvalidImageException(file, "infinite scl_slope/scl_inter");
        }
    }

    private static Volume readVoxels(Path file, InputStream in, NiftiHeader h) throws IOException {
        VoxelType type = VoxelType.fromNiftiCode(h.datatype()).orElseThrow();
        Geometry geometry = geometry(file, h);
        int perChannel = geometry.shape().voxelsInt();
        int channels = (int) h.size(4);
        long bytes = (long) perChannel * channels * type.bytes();
        checkFits(file, h, bytes);
        long skip = h.voxOffset() - (h.version() == 1 ? NiftiHeader.NIFTI1_SIZE : NiftiHeader.NIFTI2_SIZE);
        in.skipNBytes(skip);
        List<VoxelData> data = new ArrayList<>(channels);
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(h.order());
        int perRead = CHUNK / type.bytes();
        for (int c = 0; c < channels; c++) {
            VoxelData channel = VoxelData.allocate(type, perChannel);
            for (int start = 0; start < perChannel; start += perRead) {
                int count = Math.min(perRead, perChannel - start);
                int n = count * type.bytes();
                int got = in.readNBytes(chunk.array(), 0, n);
                if (got < n) {
                    throw new InvalidImageException(file, "truncated: voxel data ends after " + ((long) c * perChannel + start)
                            * type.bytes() + got + " of " + bytes + " bytes");
                }
                chunk.clear().limit(n);
                channel.decode(chunk, start, count);
            }
            data.add(channel);
        }
        double slope = h.hasScaling() ? h.sclSlope() : 1;
        double inter = h.hasScaling() ? h.sclInter() : 0;
        return new Volume(geometry, data, slope, Double.isNaN(inter) ? 0 : inter);
    }

    /** Refuses data that the file cannot hold or the JVM cannot take, before allocating anything. */
    private static void checkFits(Path file, NiftiHeader h, long bytes) throws IOException {
        long fileSize = Files.size(file);
        boolean gzip = isGzip(file);
        if (!gzip && fileSize < h.voxOffset() + bytes) {
            throw new InvalidImageException(file, "truncated: needs " + (h.voxOffset() + bytes) + " bytes, the file has " + fileSize);
        }
        if (gzip && bytes > fileSize * MAX_DEFLATE_RATIO) {
            throw new InvalidImageException(file, "header claims " + bytes + " bytes of voxels, more than a " + fileSize
                    + "-byte gzip file can hold: corrupt or truncated");
        }
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (bytes > free) {
            throw new InvalidImageException(file, String.format(java.util.Locale.ROOT,
                    "needs %.2f GiB for its voxels but the JVM has %.2f GiB free; raise -Xmx (JAVA_OPTS)",
                    bytes / 1073741824.0, free / 1073741824.0));
        }
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    private static String ascii(ByteBuffer b, int offset, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = b.get(offset + i);
        }
        int end = 0;
        while (end < length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
    }

    private static String printable(String s) {
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static String dimsText(NiftiHeader h) {
        StringBuilder sb = new StringBuilder();
        for (int k = 1; k <= h.rank(); k++) {
            sb.append(k > 1 ? "x" : "").append(h.dim()[k]);
        }
        return sb.toString();
    }
}
