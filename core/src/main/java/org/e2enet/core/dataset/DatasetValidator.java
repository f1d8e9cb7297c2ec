package org.e2enet.core.dataset;

import java.util.ArrayList;
import java.util.List;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.nifti.NiftiReader;
import org.e2enet.core.progress.ProgressListener;
import org.e2enet.core.volume.Geometry;
import org.e2enet.core.volume.Volume;

/**
 * Checks every case's files: readable, channel images and label on the same grid (shape, spacing, affine),
 * a single 3D image per channel file, label values among dataset.json's labels. Reports the first problem
 * as one line naming the file, plus how many more were found.
 */
public final class DatasetValidator {
    /** Relative tolerance for comparing spacings and affines of image and label. */
    public static final double GEOMETRY_TOLERANCE = 1e-4;

    private DatasetValidator() {
    }

    /** Validates all training (and labelled test) cases. */
    public static void validate(Dataset dataset, ProgressListener progress) {
        List<String> problems = new ArrayList<>();
        List<DatasetCase> all = new ArrayList<>(dataset.training());
        all.addAll(dataset.test());
        progress.start("validate", all.size());
        for (DatasetCase c : all) {
            try {
                validateCase(c, dataset.descriptor());
            } catch (BadInputException e) {
                problems.add(e.getMessage());
            }
            progress.step(c.id());
        }
        progress.finish();
        if (!problems.isEmpty()) {
            String more = problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problem(s) in other cases)" : "";
            throw new BadInputException(problems.get(0) + more);
        }
    }

    /** Validates one case; throws on the first problem. */
    public static void validateCase(DatasetCase c, DatasetDescriptor d) {
        Geometry reference = null;
        for (int ch = 0; ch < c.images().size(); ch++) {
            Volume v = NiftiReader.read(c.images().get(ch));
            if (v.channelCount() != 1) {
                throw BadInputException.of(c.images().get(ch), "holds " + v.channelCount()
                        + " volumes; nnU-Net layout wants one 3D file per channel");
            }
            if (reference == null) {
                reference = v.geometry();
            } else if (!reference.sameGrid(v.geometry(), GEOMETRY_TOLERANCE)) {
                throw BadInputException.of(c.images().get(ch), "geometry differs from channel 0 of case '" + c.id() + "': "
                        + difference(v.geometry(), reference));
            }
        }
        if (c.label() == null) {
            return;
        }
        Volume label = NiftiReader.read(c.label());
        if (!reference.sameGrid(label.geometry(), GEOMETRY_TOLERANCE)) {
            throw BadInputException.of(c.label(), "image/label geometry mismatch in case '" + c.id() + "': "
                    + difference(label.geometry(), reference));
        }
        int classes = d.classes();
        for (int i = 0; i < label.shape().voxelsInt(); i++) {
            double v = label.value(0, i);
            if (v != Math.rint(v) || v < 0 || v >= classes) {
                throw BadInputException.of(c.label(), "label value " + v + " is not among dataset.json's labels 0.."
                        + (classes - 1) + (label.type().isInteger() ? "" : " (is this an image passed as a label?)"));
            }
        }
    }

    /** Which field of {@code g} differs from {@code reference}'s (shape, spacing, origin or orientation), with both values. */
    static String difference(Geometry g, Geometry reference) {
        if (!g.shape().equals(reference.shape())) {
            return "shape " + g.shape() + " vs " + reference.shape();
        }
        if (!Geometry.of(g.shape(), g.spacing()).sameGrid(Geometry.of(reference.shape(), reference.spacing()), GEOMETRY_TOLERANCE)) {
            return "spacing " + g.spacing() + " vs " + reference.spacing() + " mm";
        }
        double[] o = g.affine().apply(0, 0, 0);
        double[] r = reference.affine().apply(0, 0, 0);
        double scale = Math.max(1, Math.max(g.spacing().d(), Math.max(g.spacing().h(), g.spacing().w())));
        for (int a = 0; a < 3; a++) {
            if (Math.abs(o[a] - r[a]) > GEOMETRY_TOLERANCE * scale * 10) {
                return String.format(java.util.Locale.ROOT, "origin (%.4g, %.4g, %.4g) vs (%.4g, %.4g, %.4g) mm (same shape %s and spacing %s)",
                        o[0], o[1], o[2], r[0], r[1], r[2], g.shape(), g.spacing());
            }
        }
        return "orientation (affine direction cosines) differs, with the same shape " + g.shape() + ", spacing " + g.spacing()
                + " and origin";
    }
}
