package org.e2enet.core.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.io.ModelLoadException;
import org.e2enet.core.preprocess.Plans;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.onnx.proto.OnnxMl;
import org.e2enet.shaded.protobuf.InvalidProtocolBufferException;

/**
 * An exported E2ENet read from its ONNX file without any inference engine: the graph and the metadata the
 * exporter wrote ({@code e2enet.spec}, {@code e2enet.plans}, {@code e2enet.accounting}). Files that are not
 * ONNX, or ONNX models that are not ours, are refused with a message naming the file.
 *
 * @param file where it was read from
 * @param model the parsed model
 * @param metadata its metadata_props
 * @param spec the network's spec
 * @param plans the preprocessing it was trained with (null when exported from a bundle without plans)
 */
public record E2eNetOnnx(Path file, OnnxMl.ModelProto model, Map<String, String> metadata, ModelSpec spec, Plans plans) {
    /**
     * Reads and checks {@code file}.
     *
     * @param file an ONNX model exported by e2enet
     * @return the model and its metadata
     * @throws ModelLoadException when the file is missing, unreadable, not ONNX, not e2enet's, or carries metadata
     *     e2enet cannot read
     */
    public static E2eNetOnnx read(Path file) {
        try {
            E2eNetOnnx onnx = parse(file);
            ModelPrecision.of(onnx);
            return onnx;
        } catch (ModelLoadException e) {
            throw e;
        } catch (BadInputException e) {
            String message = e.getMessage();
            String problem = message.startsWith(file.toString()) ? message.substring(file.toString().length()).replaceFirst("^:? ", "") : message;
            throw new ModelLoadException(file, problem, e);
        }
    }

    private static E2eNetOnnx parse(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException(file, Files.exists(file) ? "not a regular file" : "no such ONNX model");
        }
        OnnxMl.ModelProto model;
        try (InputStream in = Files.newInputStream(file)) {
            model = OnnxMl.ModelProto.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelLoadException(file, "not an ONNX model (corrupt protobuf)", e);
        } catch (IOException e) {
            throw new ModelLoadException(file, "cannot read (" + e.getMessage() + ")", e);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        model.getMetadataPropsList().forEach(p -> meta.put(p.getKey(), p.getValue()));
        if (!meta.containsKey(OnnxContract.SPEC)) {
            throw new ModelLoadException(file, model.getGraph().getNodeCount() == 0 ? "not an ONNX model (no graph)"
                    : "is not an e2enet model (no " + OnnxContract.SPEC + " metadata); export it with 'e2enet export'");
        }
        ModelSpec spec = ModelSpec.fromJson(meta.get(OnnxContract.SPEC), file + " " + OnnxContract.SPEC);
        String plansJson = meta.get(OnnxContract.PLANS);
        Plans plans = plansJson == null || plansJson.equals("null") ? null : Plans.fromJson(plansJson, file + " " + OnnxContract.PLANS);
        return new E2eNetOnnx(file, model, Collections.unmodifiableMap(meta), spec, plans);
    }

    /** The graph's statistics at the spec's patch size, batch 1. */
    public OnnxGraphStats statsAtPatch() {
        try {
            return OnnxGraphStats.of(model, patchInputShape());
        } catch (IllegalArgumentException e) {
            throw BadInputException.of(file, "is not a graph e2enet exported: " + e.getMessage());
        }
    }

    /** The shape of every value in the graph at the spec's patch size, batch 1 (value name to shape). */
    public Map<String, long[]> valueShapesAtPatch() {
        try {
            return OnnxGraphStats.valueShapes(model, patchInputShape());
        } catch (IllegalArgumentException e) {
            throw BadInputException.of(file, "is not a graph e2enet exported: " + e.getMessage());
        }
    }

    private long[] patchInputShape() {
        int[] p = spec.patchSize();
        return new long[] {1, spec.inputChannels(), p[0], p[1], p[2]};
    }
}
