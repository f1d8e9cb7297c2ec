package org.e2enet.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.e2enet.core.dataset.CaseNaming;
import org.e2enet.core.io.BadInputException;

/**
 * The cases to predict: a directory in nnU-Net naming ({@code case_0000.nii.gz}, {@code case_0001.nii.gz} ...
 * give the case {@code case}), or a single file that keeps its own name.
 *
 * @param id the case name (output file stem)
 * @param channels channel files in order
 */
public record CaseFiles(String id, List<Path> channels) {
    /**
     * The cases under {@code input} for a model of {@code channels} input channels.
     *
     * @param input a directory in nnU-Net naming, or one image when the model takes one channel
     * @param channels the model's input channels
     * @return the cases, at least one
     * @throws BadInputException when {@code input} is missing, holds no case, or a case lacks a channel
     */
    public static List<CaseFiles> find(Path input, int channels) {
        if (Files.isRegularFile(input)) {
            if (channels != 1) {
                throw BadInputException.of(input, "the model takes " + channels + " channels; pass a directory with "
                        + "{case}_0000.nii.gz ... {case}_" + String.format("%04d", channels - 1) + ".nii.gz");
            }
            String name = input.getFileName().toString();
            return List.of(new CaseFiles(name.replaceAll("\\.nii(\\.gz)?$", ""), List.of(input)));
        }
        if (!Files.isDirectory(input)) {
            throw BadInputException.of(input, "no such file or directory");
        }
        List<CaseFiles> out = CaseNaming.find(input, channels, CaseNaming.NIFTI_ENDINGS, false, "the model takes").stream()
                .map(c -> new CaseFiles(c.id(), c.channels())).toList();
        if (out.isEmpty()) {
            throw BadInputException.of(input, "holds no {case}_XXXX.nii.gz images (nnU-Net naming)");
        }
        return out;
    }
}
