package org.e2enet.examples;

import java.nio.file.Path;
import java.util.List;
import org.e2enet.core.nifti.NiftiReader;
import org.e2enet.core.volume.Volume;
import org.e2enet.runtime.Backend;
import org.e2enet.runtime.Segmenter;
import org.e2enet.runtime.SegmenterOptions;

/** Example (a), the Java API: load an exported model, segment a NIfTI volume, print each class's volume in ml. */
public final class SegmentVolume {
    private SegmentVolume() {
    }

    /** Arguments: {@code model.onnx image.nii.gz}. */
    public static void main(String[] args) {
        try (Segmenter segmenter = Segmenter.open(Path.of(args[0]), Backend.ORT_CPU, 2, SegmenterOptions.defaults())) {
            Volume labels = segmenter.segment("case", List.of(NiftiReader.read(Path.of(args[1])))).labels();
            double mlPerVoxel = labels.geometry().spacing().voxelVolume() / 1000.0;
            List<String> names = segmenter.model().plans().classNames();
            long[] voxels = new long[names.size()];
            for (int i = 0; i < labels.shape().voxelsInt(); i++) {
                voxels[(int) labels.value(0, i)]++;
            }
            for (int c = 1; c < names.size(); c++) {
                System.out.printf("%-12s %10.2f ml%n", names.get(c), voxels[c] * mlPerVoxel);
            }
        }
    }
}
