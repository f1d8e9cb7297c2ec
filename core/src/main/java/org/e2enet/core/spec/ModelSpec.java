package org.e2enet.core.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.e2enet.core.io.AtomicFiles;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.io.InputFiles;
import org.e2enet.core.io.JsonDocuments;

/**
 * The description of one E2ENet (docs/architecture.md#model-spec): everything needed to build the network, name its
 * tensors and count its cost. Sizes and kernels are in (d, h, w) order.
 *
 * @param inputChannels image channels
 * @param numClasses output classes, background included
 * @param baseChannels channels of level 0
 * @param maxChannels channel cap
 * @param poolKernels one (d, h, w) pool kernel per level transition; P = its length
 * @param shiftGroups S of the depth shift (3 in the paper, 5 in the authors' code)
 * @param patchSize training patch (d, h, w)
 * @param sparsity fraction of masked kernels inactive (0 = dense)
 * @param granularity what one mask bit covers
 * @param dsff the topology-update schedule
 */
public record ModelSpec(int inputChannels, int numClasses, int baseChannels, int maxChannels, int[][] poolKernels,
                        int shiftGroups, int[] patchSize, double sparsity, Granularity granularity, DsffSettings dsff) {
    /** A spec is written by hand: a misspelt or missing field is refused, not ignored. */
    private static final ObjectMapper JSON = JsonDocuments.strict();

    /**
     * Validates every field and their combination.
     *
     * @param inputChannels image channels
     * @param numClasses output classes, background included
     * @param baseChannels channels of level 0
     * @param maxChannels channel cap
     * @param poolKernels one (d, h, w) pool kernel per level transition; P = its length
     * @param shiftGroups S of the depth shift (3 in the paper, 5 in the authors' code)
     * @param patchSize training patch (d, h, w)
     * @param sparsity fraction of masked kernels inactive (0 = dense)
     * @param granularity what one mask bit covers
     * @param dsff the topology-update schedule
     * @throws IllegalArgumentException when a field or their combination is out of range
     */
    public ModelSpec {
        require(inputChannels >= 1 && inputChannels <= 1024, "inputChannels must be 1..1024");
        require(numClasses >= 2 && numClasses <= 256, "numClasses must be 2..256 (background and up to 255 structures: labels are 8-bit)");
        require(baseChannels >= 1 && maxChannels >= baseChannels && maxChannels <= 8192, "need 1 <= baseChannels <= maxChannels <= 8192");
        require(poolKernels != null && poolKernels.length >= 2 && poolKernels.length <= 10,
                "poolKernels needs 2..10 levels (the paper uses P = 5)");
        require(patchSize != null && patchSize.length == 3, "patchSize needs 3 sizes (d h w)");
        require(shiftGroups >= 1 && shiftGroups <= 64, "shiftGroups must be 1..64");
        require(sparsity >= 0 && sparsity < 1, "sparsity must be in [0, 1)");
        require(granularity != null && dsff != null, "granularity and dsff are required");
        require(granularity.kind() != Granularity.Kind.DENSE || sparsity == 0, "granularity 'dense' needs sparsity 0");
        poolKernels = Arrays.stream(poolKernels).map(int[]::clone).toArray(int[][]::new);
        patchSize = patchSize.clone();
        long[] product = {1, 1, 1};
        for (int[] k : poolKernels) {
            require(k.length == 3, "each pool kernel needs 3 sizes (d h w)");
            for (int a = 0; a < 3; a++) {
                require(k[a] >= 1 && k[a] <= 16, "pool kernels must be 1..16");
                product[a] *= k[a];
            }
        }
        for (int a = 0; a < 3; a++) {
            require(patchSize[a] >= 1 && patchSize[a] % product[a] == 0, "patch size " + Arrays.toString(patchSize)
                    + " is not divisible by the pool factors " + Arrays.toString(product) + " along axis " + "dhw".charAt(a));
        }
        require(largestActivation(inputChannels, baseChannels, maxChannels, poolKernels, patchSize) <= Integer.MAX_VALUE - 8,
                "patch size " + Arrays.toString(patchSize) + " with up to " + maxChannels + " channels makes feature maps larger than one "
                        + "array can hold: choose a smaller patch");
        if (granularity.kind() == Granularity.Kind.GROUP) {
            int g = granularity.groups();
            for (int l = 0; l < poolKernels.length; l++) {
                require(channels(l, baseChannels, maxChannels) % g == 0, "group:" + g + " needs every level's channels ("
                        + channels(l, baseChannels, maxChannels) + " at level " + l + ") divisible by " + g);
            }
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Elements of the largest feature map (a fusion node's concatenated input, or the image), in floating point (no overflow). */
    private static double largestActivation(int inputs, int base, int max, int[][] pools, int[] patch) {
        long[] vox = {patch[0], patch[1], patch[2]};
        double largest = (double) inputs * vox[0] * vox[1] * vox[2];
        for (int l = 0; l <= pools.length; l++) {
            double v = (double) vox[0] * vox[1] * vox[2];
            double cat = 2.0 * channels(l, base, max) + (l >= 1 ? channels(l - 1, base, max) : 0);
            largest = Math.max(largest, cat * v);
            if (l < pools.length) {
                for (int a = 0; a < 3; a++) {
                    vox[a] = Math.max(1, vox[a] / pools[l][a]);
                }
            }
        }
        return largest;
    }

    private static int channels(int level, int base, int max) {
        long c = (long) base << Math.min(level, 30);
        return (int) Math.min(c, max);
    }

    /**
     * P, the number of pooling steps (levels are 0..P).
     *
     * @return the length of {@link #poolKernels()}
     */
    public int pools() {
        return poolKernels.length;
    }

    /**
     * C_l = min(base * 2^l, max).
     *
     * @param level a level, 0..P
     * @return the level's channels
     */
    public int channels(int level) {
        return channels(level, baseChannels, maxChannels);
    }

    /**
     * Feature-map size at {@code level} for the patch size.
     *
     * @param level a level, 0..P
     * @return its (d, h, w) size
     */
    public int[] levelShape(int level) {
        return levelShape(level, patchSize);
    }

    /**
     * Feature-map size at {@code level} for an input of size {@code input} (d, h, w).
     *
     * @param level a level, 0..P
     * @param input the input's (d, h, w) size
     * @return its (d, h, w) size
     */
    public int[] levelShape(int level, int[] input) {
        int[] s = input.clone();
        for (int l = 0; l < level; l++) {
            for (int a = 0; a < 3; a++) {
                s[a] /= poolKernels[l][a];
            }
        }
        return s;
    }

    /**
     * 1 - sparsity.
     *
     * @return the fraction of masked kernels active
     */
    public double density() {
        return 1 - sparsity;
    }

    /**
     * The density of one masked layer: {@link #density()}, or under the authors' rule ({@link
     * DsffSettings#authorsDensityRule()}) {@value DsffSettings#AUTHORS_RULE_DENSITY} for a tensor whose first
     * dimension is {@value DsffSettings#AUTHORS_RULE_DIM0}.
     *
     * @param layer a masked layer of this spec
     * @return the fraction of its kernels active
     */
    public double densityOf(Layer layer) {
        if (dsff.authorsDensityRule() && granularity.kind() != Granularity.Kind.DENSE
                && layer.maskShape()[0] == DsffSettings.AUTHORS_RULE_DIM0) {
            return DsffSettings.AUTHORS_RULE_DENSITY;
        }
        return density();
    }

    /**
     * The same spec at another sparsity (granularity becomes kernel when a dense spec gets sparsity).
     *
     * @param newSparsity fraction of masked kernels inactive (0 = dense)
     * @return the new spec
     */
    public ModelSpec withSparsity(double newSparsity) {
        Granularity g = granularity;
        if (newSparsity == 0) {
            g = Granularity.DENSE;
        } else if (g.kind() == Granularity.Kind.DENSE) {
            g = Granularity.KERNEL;
        }
        return new ModelSpec(inputChannels, numClasses, baseChannels, maxChannels, poolKernels, shiftGroups, patchSize,
                newSparsity, g, dsff);
    }

    /**
     * The same spec with another granularity.
     *
     * @param newGranularity what one mask bit covers
     * @return the new spec
     */
    public ModelSpec withGranularity(Granularity newGranularity) {
        return new ModelSpec(inputChannels, numClasses, baseChannels, maxChannels, poolKernels, shiftGroups, patchSize,
                sparsity, newGranularity, dsff);
    }

    /**
     * The same spec with another DSFF schedule.
     *
     * @param newDsff the topology-update schedule
     * @return the new spec
     */
    public ModelSpec withDsff(DsffSettings newDsff) {
        return new ModelSpec(inputChannels, numClasses, baseChannels, maxChannels, poolKernels, shiftGroups, patchSize,
                sparsity, granularity, newDsff);
    }

    /**
     * The same spec with another patch size (d, h, w); the constructor checks it against the pools.
     *
     * @param newPatchSize training patch (d, h, w)
     * @return the new spec
     * @throws IllegalArgumentException when the pools do not divide it
     */
    public ModelSpec withPatchSize(int[] newPatchSize) {
        return new ModelSpec(inputChannels, numClasses, baseChannels, maxChannels, poolKernels, shiftGroups, newPatchSize.clone(),
                sparsity, granularity, dsff);
    }

    /**
     * The same spec for another dataset's input channels and classes.
     *
     * @param newInputChannels image channels
     * @param newNumClasses output classes, background included
     * @return the new spec
     */
    public ModelSpec withIo(int newInputChannels, int newNumClasses) {
        return new ModelSpec(newInputChannels, newNumClasses, baseChannels, maxChannels, poolKernels, shiftGroups,
                patchSize, sparsity, granularity, dsff);
    }

    /**
     * The layer table of this spec.
     *
     * @return its layers, as the network and the exporter walk them
     */
    public LayerTable layers() {
        return LayerTable.of(this);
    }

    /**
     * The wiring of this spec's network.
     *
     * @return its nodes and edges
     */
    public Topology topology() {
        return Topology.of(this);
    }

    /**
     * As pretty JSON.
     *
     * @return the spec in the format {@link #fromJson} reads
     */
    public String toJson() {
        return JsonDocuments.toJson(this);
    }

    /**
     * Parses JSON text; {@code source} names where it came from in error messages.
     *
     * @param json a spec as JSON
     * @param source where it came from, named in errors
     * @return the spec
     * @throws BadInputException when the text is not JSON, names an unknown field or the spec is invalid
     */
    public static ModelSpec fromJson(String json, String source) {
        try {
            com.fasterxml.jackson.databind.JsonNode tree = JSON.readTree(json);
            if (tree == null || !tree.isObject()) {
                throw new BadInputException(source + ": a spec must be a JSON object");
            }
            rejectUnknownFields(tree, ModelSpec.class, "", source);
            if (tree.get("dsff") != null) {
                rejectUnknownFields(tree.get("dsff"), DsffSettings.class, "dsff.", source);
            } else {
                // the training-only schedule: a spec of imported weights need not have one (the paper's is assumed)
                ((com.fasterxml.jackson.databind.node.ObjectNode) tree).set("dsff", JSON.valueToTree(DsffSettings.PAPER));
            }
            return JSON.treeToValue(tree, ModelSpec.class);
        } catch (UnrecognizedPropertyException e) {
            throw new BadInputException(source + ": unknown spec field '" + e.getPropertyName() + "'");
        } catch (JsonMappingException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("");
            String msg = root instanceof IllegalArgumentException ? root.getMessage()
                    : (field.isEmpty() ? "" : "field '" + field + "': ") + shortReason(e.getOriginalMessage());
            throw new BadInputException(source + ": invalid spec: " + msg, e);
        } catch (IOException e) {
            throw new BadInputException(source + ": spec is not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
    }

    /** The first clause of a Jackson message, without its class names and hints. */
    private static String shortReason(String message) {
        String first = message == null ? "" : message.lines().findFirst().orElse("");
        int cut = first.indexOf(" (");
        first = cut > 0 ? first.substring(0, cut) : first;
        return first.replaceAll("`[\\w.$]+`", "").replaceAll("\\s+", " ").trim();
    }

    private static void rejectUnknownFields(com.fasterxml.jackson.databind.JsonNode node, Class<? extends Record> type,
                                            String prefix, String source) {
        java.util.Set<String> known = new java.util.HashSet<>();
        for (java.lang.reflect.RecordComponent c : type.getRecordComponents()) {
            JsonProperty renamed = c.getAccessor().getAnnotation(JsonProperty.class);
            known.add(renamed != null ? renamed.value() : c.getName());
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                throw new BadInputException(source + ": unknown spec field '" + prefix + name + "' (known: "
                        + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        });
    }

    /**
     * Reads a spec JSON file.
     *
     * @param file the file
     * @return the spec
     * @throws BadInputException when it cannot be read or is not a valid spec
     */
    public static ModelSpec read(Path file) {
        return fromJson(InputFiles.readString(file), file.toString());
    }

    /**
     * Writes this spec as JSON atomically.
     *
     * @param file where to write
     * @throws IOException when it cannot be written
     */
    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, toJson() + "\n");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec s && inputChannels == s.inputChannels && numClasses == s.numClasses
                && baseChannels == s.baseChannels && maxChannels == s.maxChannels
                && Arrays.deepEquals(poolKernels, s.poolKernels) && shiftGroups == s.shiftGroups
                && Arrays.equals(patchSize, s.patchSize) && sparsity == s.sparsity
                && granularity.equals(s.granularity) && dsff.equals(s.dsff);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(poolKernels) * 31 + Arrays.hashCode(patchSize) + Double.hashCode(sparsity);
    }

    @Override
    public String toString() {
        return toJson();
    }

    /**
     * The pool kernels, copied (a record's array stays the record's).
     *
     * @return one (d, h, w) pool kernel per level transition
     */
    @Override
    public int[][] poolKernels() {
        return Arrays.stream(poolKernels).map(int[]::clone).toArray(int[][]::new);
    }

    /**
     * The patch size, copied.
     *
     * @return training patch (d, h, w)
     */
    @Override
    public int[] patchSize() {
        return patchSize.clone();
    }
}
