package org.e2enet.core.onnx;


import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.io.Sha256;
import org.e2enet.core.safetensors.Tensor;
import org.e2enet.core.io.JsonDocuments;
import org.e2enet.onnx.proto.OnnxMl;

/**
 * The identity of an exported model's stored values (docs/architecture.md#onnx-model): for every initializer of the graph, the
 * SHA-256 of its bytes and of the bundle tensors it was derived from (a weight with its mask; a bias or norm
 * parameter; nothing for the index and padding constants of the lowering). The exporter writes it into the
 * ONNX metadata ({@link OnnxContract#DIGESTS}) and the export report; parity recomputes both sides.
 *
 * @param initializers one entry per initializer, in graph order
 */
public record WeightDigests(List<Entry> initializers) {

    /**
     * A bundle tensor an initializer came from.
     *
     * @param tensor its name in weights.safetensors or masks.safetensors
     * @param sha256 SHA-256 of its stored bytes
     */
    public record Source(String tensor, String sha256) {
        /** The source record of a bundle tensor. */
        public static Source of(Tensor t) {
            return new Source(t.name(), Sha256.of(t.data()));
        }
    }

    /**
     * One initializer.
     *
     * @param initializer its name in the graph
     * @param sha256 SHA-256 of the initializer without its name ({@link #digestOf}: data type, dims, data)
     * @param sources the bundle tensors it was derived from (after the exporter's masking and pruning)
     */
    public record Entry(String initializer, String sha256, List<Source> sources) {
        /** Immutable copy. */
        public Entry {
            sources = List.copyOf(sources);
        }
    }

    /** Immutable copy. */
    public WeightDigests {
        initializers = List.copyOf(initializers);
    }

    /** The digests of {@code model}'s initializers, with the sources {@code sourcesOf} names for each initializer name. */
    public static WeightDigests of(OnnxMl.ModelProto model, Function<String, List<Source>> sourcesOf) {
        List<Entry> out = new ArrayList<>();
        for (OnnxMl.TensorProto t : model.getGraph().getInitializerList()) {
            out.add(new Entry(t.getName(), digestOf(t), sourcesOf.apply(t.getName())));
        }
        return new WeightDigests(out);
    }

    /** An initializer's digest: SHA-256 of the tensor proto without its name and doc string (data type, dims, data). */
    public static String digestOf(OnnxMl.TensorProto t) {
        return Sha256.of(t.toBuilder().clearName().clearDocString().build().toByteArray());
    }

    /** As JSON (the metadata's value). */
    public String toJson() {
        return JsonDocuments.toCompactJson(this);
    }

    /** Parses the metadata's value; {@code source} names it in errors. */
    public static WeightDigests fromJson(String json, String source) {
        WeightDigests d = JsonDocuments.parse(json, WeightDigests.class, source + " (weight digests)");
        if (d.initializers() == null) {
            throw new BadInputException(source + ": no weight digests");
        }
        return d;
    }
}
