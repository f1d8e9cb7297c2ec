package org.e2enet.core.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.io.JsonDocuments;

/**
 * The {@code dataset.json} of an nnU-Net v2 raw dataset: channel names (their names choose the
 * normalisation: "CT" gets CT normalisation), label names and values, number of training cases and the file
 * ending.
 *
 * @param name dataset name (may be empty)
 * @param channelNames channel index to name, indices 0..C-1
 * @param labels label name to value; "background" must be 0, values 0..K-1 without gaps
 * @param numTraining the number of training cases
 * @param fileEnding e.g. ".nii.gz"
 */
public record DatasetDescriptor(String name, Map<Integer, String> channelNames, Map<String, Integer> labels,
                                int numTraining, String fileEnding) {

    /** Immutable copies. */
    public DatasetDescriptor {
        channelNames = java.util.Collections.unmodifiableMap(new TreeMap<>(channelNames));
        labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    /** Number of image channels. */
    public int channels() {
        return channelNames.size();
    }

    /** Number of classes, background included. */
    public int classes() {
        return labels.size();
    }

    /** Label names indexed by value. */
    public String[] classNames() {
        String[] names = new String[classes()];
        labels.forEach((n, v) -> names[v] = n);
        return names;
    }

    /** Reads and validates {@code dataset.json}. */
    public static DatasetDescriptor read(Path file) {
        if (Files.isDirectory(file)) {
            throw BadInputException.of(file, "is a directory, not the dataset's JSON description");
        }
        if (!Files.isRegularFile(file)) {
            throw BadInputException.of(file, "no such file (every nnU-Net dataset needs a dataset.json)");
        }
        JsonNode root = JsonDocuments.readTree(file, null, "dataset description");
        JsonNode ch = root.has("channel_names") ? root.get("channel_names") : root.get("modality");
        if (ch == null || !ch.isObject() || ch.isEmpty()) {
            throw BadInputException.of(file, "needs a non-empty 'channel_names' object, e.g. {\"0\": \"CT\"}");
        }
        Map<Integer, String> channels = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = ch.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            try {
                channels.put(Integer.parseInt(e.getKey()), e.getValue().asText());
            } catch (NumberFormatException ex) {
                throw BadInputException.of(file, "channel_names key '" + e.getKey() + "' is not a channel index");
            }
        }
        for (int c = 0; c < channels.size(); c++) {
            if (!channels.containsKey(c)) {
                throw BadInputException.of(file, "channel_names must number channels 0.." + (channels.size() - 1) + ", missing " + c);
            }
        }
        JsonNode lab = root.get("labels");
        if (lab == null || !lab.isObject() || lab.size() < 2) {
            throw BadInputException.of(file, "needs a 'labels' object with background and at least one structure");
        }
        Map<String, Integer> labels = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = lab.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isInt()) {
                throw BadInputException.of(file, "label '" + e.getKey() + "' must map to an integer"
                        + (e.getValue().isArray() ? " (region-based labels are not supported)" : ""));
            }
            labels.put(e.getKey(), e.getValue().asInt());
        }
        boolean[] seen = new boolean[labels.size()];
        for (Map.Entry<String, Integer> e : labels.entrySet()) {
            int v = e.getValue();
            if (v < 0 || v >= labels.size() || seen[v]) {
                throw BadInputException.of(file, "label values must be 0.." + (labels.size() - 1) + " without gaps or repeats"
                        + " (label '" + e.getKey() + "' = " + v + ")");
            }
            seen[v] = true;
        }
        if (!Integer.valueOf(0).equals(labels.get("background"))) {
            throw BadInputException.of(file, "labels must contain \"background\": 0");
        }
        JsonNode n = root.get("numTraining");
        if (n == null || !n.isInt() || n.asInt() < 0) {
            throw BadInputException.of(file, "needs an integer 'numTraining'");
        }
        JsonNode ending = root.get("file_ending");
        if (ending == null || !ending.isTextual()) {
            throw BadInputException.of(file, "needs 'file_ending' (\".nii.gz\" or \".nii\")");
        }
        if (!ending.asText().equals(".nii.gz") && !ending.asText().equals(".nii")) {
            throw BadInputException.of(file, "file_ending '" + ending.asText() + "' is not supported (use .nii.gz or .nii)");
        }
        String name = root.has("name") ? root.get("name").asText() : "";
        return new DatasetDescriptor(name, channels, labels, n.asInt(), ending.asText());
    }

    /** Writes {@code dataset.json} atomically. */
    public void write(Path file) throws IOException {
        ObjectNode root = JsonDocuments.mapper().createObjectNode();
        root.put("name", name);
        ObjectNode ch = root.putObject("channel_names");
        channelNames.forEach((k, v) -> ch.put(String.valueOf(k), v));
        ObjectNode lab = root.putObject("labels");
        labels.forEach(lab::put);
        root.put("numTraining", numTraining);
        root.put("file_ending", fileEnding);
        JsonDocuments.write(file, root);
    }
}
