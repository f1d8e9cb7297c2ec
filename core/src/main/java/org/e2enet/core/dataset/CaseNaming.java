package org.e2enet.core.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.e2enet.core.io.BadInputException;

/**
 * nnU-Net's file naming of images: {@code {case}_{XXXX}{ending}}, one file per channel XXXX. Datasets,
 * preprocessed stores and the runtime's input directories all find their cases here.
 */
public final class CaseNaming {
    /** The endings a NIfTI image may have when a directory has no dataset.json to say which. */
    public static final List<String> NIFTI_ENDINGS = List.of(".nii.gz", ".nii");
    private static final Pattern CHANNEL = Pattern.compile("(.+)_(\\d{4})");

    /**
     * A case and its channel files in channel order.
     *
     * @param id the case id
     * @param channels channel 0, 1, ...
     */
    public record CaseImages(String id, List<Path> channels) {
        /** Immutable copy. */
        public CaseImages {
            channels = List.copyOf(channels);
        }
    }

    private CaseNaming() {
    }

    /** The file name of channel {@code channel} of case {@code id}. */
    public static String channelFile(String id, int channel, String ending) {
        return String.format("%s_%04d%s", id, channel, ending);
    }

    /**
     * The cases in {@code dir}, sorted by id, each with exactly {@code channels} channel files.
     *
     * @param endings the file endings that count as images (hidden files never do)
     * @param strict true: a file with one of the endings but not in this naming is an error; false: it is ignored
     * @param whoSaysChannels names where the channel count comes from, for messages ("dataset.json declares", "the model takes")
     */
    public static List<CaseImages> find(Path dir, int channels, List<String> endings, boolean strict, String whoSaysChannels) {
        Map<String, Map<Integer, Path>> byCase = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                String ending = endings.stream().filter(name::endsWith).findFirst().orElse(null);
                if (ending == null || name.startsWith(".")) {
                    continue;
                }
                Matcher m = CHANNEL.matcher(name.substring(0, name.length() - ending.length()));
                if (!m.matches()) {
                    if (strict) {
                        throw BadInputException.of(f, "image file names must be {case}_{XXXX}" + ending + " (XXXX = channel)");
                    }
                    continue;
                }
                int channel = Integer.parseInt(m.group(2));
                if (channel >= channels) {
                    throw BadInputException.of(f, "channel " + channel + " but " + whoSaysChannels + " " + channels + " channel(s)");
                }
                byCase.computeIfAbsent(m.group(1), k -> new TreeMap<>()).put(channel, f);
            }
        } catch (IOException e) {
            throw BadInputException.of(dir, "cannot list (" + e.getMessage() + ")");
        }
        List<CaseImages> out = new ArrayList<>();
        for (Map.Entry<String, Map<Integer, Path>> e : byCase.entrySet()) {
            List<Path> files = new ArrayList<>();
            for (int c = 0; c < channels; c++) {
                Path p = e.getValue().get(c);
                if (p == null) {
                    throw BadInputException.of(dir.resolve(channelFile(e.getKey(), c, endings.get(0))), "missing channel " + c
                            + " of case '" + e.getKey() + "'");
                }
                files.add(p);
            }
            out.add(new CaseImages(e.getKey(), files));
        }
        return out;
    }
}
