package org.e2enet.examples;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.e2enet.core.nifti.NiftiReader;
import org.e2enet.core.volume.Volume;
import org.e2enet.runtime.Backend;
import org.e2enet.runtime.BackendOptions;
import org.e2enet.runtime.OnnxModel;
import org.e2enet.runtime.Segmenter;
import org.e2enet.runtime.SegmenterOptions;

/** Example (a), the Java API: load an exported model, segment a NIfTI volume, print each class's volume in ml. */
public final class SegmentVolume {
    private SegmentVolume() {
    }

    /** Arguments: {@code model.onnx image.nii.gz}. */
    public static void main(String[] args) {
        // the model is opened once and closed last; the segmenter on it leaves it open when it closes
        try (OnnxModel model = OnnxModel.open(Path.of(args[0]), Backend.ORT_CPU, BackendOptions.builder().threads(2).build());
             Segmenter segmenter = new Segmenter(model, SegmenterOptions.defaults())) {
            Volume image = NiftiReader.read(Path.of(args[1]));
            Volume labels = segmenter.segment("case", List.of(image), Duration.ofMinutes(10)).labels();
            double mlPerVoxel = labels.spacing().voxelVolume() / 1000.0;
            List<String> names = model.plans().classNames();
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
