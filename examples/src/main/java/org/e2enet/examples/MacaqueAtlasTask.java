package org.e2enet.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.e2enet.core.dataset.DatasetDescriptor;
import org.e2enet.core.io.AtomicFiles;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.nifti.NiftiReader;
import org.e2enet.core.nifti.NiftiWriter;
import org.e2enet.core.preprocess.BoundingBox;
import org.e2enet.core.volume.Geometry;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.volume.Volume;
import org.e2enet.core.volume.VoxelData;

/**
 * Example (b), real anatomy: an nnU-Net task built from Debian's {@code mricron-data} INIA19 macaque template,
 * a T1 with the NeuroMaps region atlas in the same space.
 *
 * <p>Classes: NeuroMaps has about 700 region labels (n in the left hemisphere, 1000 + n in the right) but no
 * name table in the package, so the example merges them into two coarse tissue classes by each region's mean
 * T1 intensity: {@code white-matter-like} (mean above {@value #WHITE_MATTER_T1}) and {@code grey-matter-like}.
 *
 * <p>Split: there is one animal. Each hemisphere is cut into {@value #SLABS} anterior-posterior slabs; the left
 * hemisphere's slabs are the training cases, the right hemisphere's the held-out cases. A held-out Dice
 * therefore says the model learnt this brain's tissue classes and carries them across the midline; it says
 * nothing about other animals, scanners or protocols.
 */
public final class MacaqueAtlasTask {
    /** Regions whose mean T1 exceeds this are white-matter-like (the template's white matter is ~108, grey ~80). */
    static final double WHITE_MATTER_T1 = 94;
    /** Anterior-posterior slabs per hemisphere. */
    static final int SLABS = 3;

    private MacaqueAtlasTask() {
    }

    /** Arguments: {@code templates-dir out-dir}, e.g. {@code /usr/share/mricron/templates out/macaque}. */
    public static void main(String[] args) throws IOException {
        Path templates = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Path t1File = templates.resolve("inia19-t1-brain.nii.gz");
        if (!Files.isRegularFile(t1File)) {
            throw BadInputException.of(t1File, "missing; install Debian's mricron-data (sudo apt-get install mricron-data)");
        }
        Volume t1 = NiftiReader.read(t1File);
        Volume atlas = NiftiReader.read(templates.resolve("inia19-NeuroMaps.nii.gz"));
        byte[] labels = mergeByTissue(t1, atlas);
        Shape3 s = t1.shape();
        AtomicFiles.writeDirectory(out, dir -> {
            Map<String, Integer> classes = new LinkedHashMap<>();
            classes.put("background", 0);
            classes.put("white-matter-like", 1);
            classes.put("grey-matter-like", 2);
            new DatasetDescriptor("INIA19 macaque template, NeuroMaps regions merged by tissue", Map.of(0, "T1"), classes, SLABS,
                    ".nii.gz").write(dir.resolve("dataset.json"));
            for (int hemi = 0; hemi < 2; hemi++) {
                for (int slab = 0; slab < SLABS; slab++) {
                    // w (NIfTI i) runs left to right; h (NIfTI j) posterior to anterior
                    int[] lo = {0, s.h() * slab / SLABS, hemi * s.w() / 2};
                    int[] hi = {s.d(), s.h() * (slab + 1) / SLABS, (hemi + 1) * s.w() / 2};
                    BoundingBox box = new BoundingBox(lo, hi);
                    String id = String.format("inia19_%s%d", hemi == 0 ? "left" : "right", slab);
                    String split = hemi == 0 ? "Tr" : "Ts";
                    Geometry g = t1.geometry().withGrid(box.shape(), t1.geometry().spacing(),
                            t1.geometry().affine().subGrid(new double[] {lo[2], lo[1], lo[0]}, new double[] {1, 1, 1}));
                    NiftiWriter.standard().write(Volume.of(g, VoxelData.ofFloats(box.crop(t1.floats(0), s))),
                            Files.createDirectories(dir.resolve("images" + split)).resolve(id + "_0000.nii.gz"));
                    NiftiWriter.standard().write(Volume.of(g, VoxelData.ofUnsignedBytes(box.crop(labels, s))),
                            Files.createDirectories(dir.resolve("labels" + split)).resolve(id + ".nii.gz"));
                }
            }
        });
        System.out.println("wrote " + out + ": " + SLABS + " left-hemisphere training slabs, " + SLABS + " right-hemisphere held-out slabs");
    }

    /** 0 outside the atlas, 1 for regions with mean T1 above {@link #WHITE_MATTER_T1}, else 2. */
    static byte[] mergeByTissue(Volume t1, Volume atlas) {
        int n = t1.shape().voxelsInt();
        Map<Integer, double[]> sums = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            int region = (int) atlas.value(0, i);
            if (region != 0) {
                double[] acc = sums.computeIfAbsent(region, k -> new double[2]);
                acc[0] += t1.value(0, i);
                acc[1]++;
            }
        }
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            int region = (int) atlas.value(0, i);
            if (region != 0) {
                double[] acc = sums.get(region);
                out[i] = (byte) (acc[0] / acc[1] > WHITE_MATTER_T1 ? 1 : 2);
            }
        }
        return out;
    }
}
