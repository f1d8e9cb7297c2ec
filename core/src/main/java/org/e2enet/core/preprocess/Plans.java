package org.e2enet.core.preprocess;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.e2enet.core.io.AtomicFiles;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.io.InputFiles;
import org.e2enet.core.volume.Spacing3;
import org.e2enet.core.io.JsonDocuments;

/**
 * Everything preprocessing does, recorded so training and deployment apply exactly the same transform
 * (docs/architecture.md#plans). Axes are (d, h, w).
 *
 * @param format always {@value #FORMAT}
 * @param datasetName name from dataset.json
 * @param channelNames channel names in order
 * @param classNames label names indexed by value
 * @param targetSpacing spacing every case is resampled to
 * @param medianSpacing median original spacing
 * @param medianShapeAfterCrop median shape after cropping
 * @param medianShapeAfterResampling median shape after cropping and resampling
 * @param cropToNonzero whether cases are cropped to their non-zero region
 * @param anisotropyThreshold spacing ratio above which the thick axis is resampled separately
 * @param dataOrder spline order for images
 * @param segOrder spline order for one-hot labels
 * @param separateAxisOrder order along a separately resampled axis
 * @param normalization per channel
 */
public record Plans(String format, String datasetName, List<String> channelNames, List<String> classNames,
                    double[] targetSpacing, double[] medianSpacing, double[] medianShapeAfterCrop,
                    int[] medianShapeAfterResampling, boolean cropToNonzero, double anisotropyThreshold, int dataOrder,
                    int segOrder, int separateAxisOrder, List<ChannelNormalization> normalization) {
    /** The format tag. */
    public static final String FORMAT = "e2enet-plans/1";

    /**
     * The target spacing as a record.
     *
     * @return the spacing every case is resampled to
     */
    public Spacing3 target() {
        return Spacing3.of(targetSpacing);
    }

    /**
     * As pretty JSON.
     *
     * @return the plans in the format {@link #fromJson} reads
     */
    public String toJson() {
        return JsonDocuments.toJson(this);
    }

    /**
     * Parses plans JSON.
     *
     * @param json the text of a plans.json
     * @param source where it came from, named in errors
     * @return the plans
     * @throws BadInputException when the text is not plans JSON of format {@value #FORMAT}
     */
    public static Plans fromJson(String json, String source) {
        try {
            Plans p = JsonDocuments.strict().readValue(json, Plans.class);
            if (!FORMAT.equals(p.format())) {
                throw new BadInputException(source + ": unsupported plans format '" + p.format() + "' (expected " + FORMAT + ")");
            }
            return p;
        } catch (IOException e) {
            throw new BadInputException(source + ": malformed plans (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
    }

    /**
     * Reads a plans.json.
     *
     * @param file the file
     * @return the plans
     * @throws BadInputException when it cannot be read or is not plans JSON
     */
    public static Plans read(Path file) {
        return fromJson(InputFiles.readString(file), file.toString());
    }

    /**
     * Writes atomically: a reader sees the old file or the new one, never a part.
     *
     * @param file where to write
     * @throws IOException when it cannot be written
     */
    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, toJson() + "\n");
    }
}
