package org.e2enet.core.preprocess;

import java.io.IOException;
import java.nio.file.Path;
import org.e2enet.core.volume.Affine;
import org.e2enet.core.volume.Geometry;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.volume.Spacing3;
import org.e2enet.core.io.JsonDocuments;

/**
 * What the inverse transform needs to put a prediction back where the case came from: the original grid
 * and header codes, the crop box and the shapes along the way. Axes (d, h, w).
 *
 * @param caseId case identifier
 * @param originalShape shape of the input
 * @param originalSpacing spacing of the input
 * @param originalAffine affine of the input (its sform, or its qform when it has no sform)
 * @param originalQform the input's qform matrix when it differs from {@code originalAffine}, else null
 * @param qformCode input qform code
 * @param sformCode input sform code
 * @param cropLo first voxel of the crop box
 * @param cropHi one past the last voxel of the crop box
 * @param shapeAfterResampling shape of the preprocessed case
 */
public record CaseProperties(String caseId, int[] originalShape, double[] originalSpacing, double[][] originalAffine,
                             double[][] originalQform, int qformCode, int sformCode, int[] cropLo, int[] cropHi, int[] shapeAfterResampling) {

    /** The input's geometry, qform and sform as they were. */
    public Geometry originalGeometry() {
        return new Geometry(Shape3.of(originalShape), Spacing3.of(originalSpacing), Affine.of(originalAffine), qformCode,
                sformCode, originalQform == null ? null : Affine.of(originalQform));
    }

    /** The crop box. */
    public BoundingBox crop() {
        return new BoundingBox(cropLo, cropHi);
    }

    /** Writes atomically as JSON. */
    public void write(Path file) throws IOException {
        JsonDocuments.write(file, this);
    }

    /** Reads a properties JSON file. */
    public static CaseProperties read(Path file) {
        return JsonDocuments.read(file, CaseProperties.class, null, "case properties file");
    }
}
