package org.e2enet.runtime.bench;

import org.e2enet.runtime.BackendOptions;
import org.e2enet.runtime.Backend;
import org.e2enet.runtime.engine.OrtSessions;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.e2enet.core.io.AtomicFiles;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.onnx.E2eNetOnnx;
import org.e2enet.core.onnx.OnnxBuilder;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.io.JsonDocuments;

/**
 * Where ONNX Runtime spends a tile's time, from its own session profiler: milliseconds per tile by operator
 * type (Conv, Gather, Pad/Slice/Concat of the depth shift, InstanceNormalization, ConvTranspose, ...) and by
 * exported layer (the exporter names every node {@code {layer}/...}), averaged over the timed runs.
 *
 * @param model the ONNX file
 * @param runs timed runs (after two warm-ups, which are left out)
 * @param nodeMsPerTile the sum of all node times per tile
 * @param msPerOperator per operator type, largest first
 * @param nodesPerOperator how many nodes of each type ran per tile
 * @param msPerLayer per exported layer, largest first ({@code (graph)} for nodes outside any layer)
 */
public record OperatorProfile(String model, int runs, double nodeMsPerTile, Map<String, Double> msPerOperator,
                              Map<String, Integer> nodesPerOperator, Map<String, Double> msPerLayer) {

    /** Profiles {@code runs} tiles of random input through {@code model} on an ONNX Runtime backend. */
    public static OperatorProfile measure(Path model, Backend backend, BackendOptions options, int runs) {
        if (backend == Backend.TENSORRT || backend == Backend.AUTO) {
            throw new BadInputException("--profile uses ONNX Runtime's profiler: choose an ort-* backend, not " + backend.label());
        }
        ModelSpec spec = E2eNetOnnx.read(model).spec();
        long[] shape = Benchmark.tileShape(spec);
        float[] x = Benchmark.randomTile(shape);
        Path dir;
        try {
            dir = Files.createTempDirectory("e2enet-profile");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            String file;
            try (OrtSession session = OrtSessions.profiling(model, spec, backend, options, dir.resolve("ort"))) {
                for (int i = 0; i < Benchmark.WARMUPS + runs; i++) {
                    OrtSessions.run(session, x, shape);
                }
                file = session.endProfiling();
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime's profiler failed: " + OrtSessions.firstLine(e.getMessage()), e);
            }
            return parse(model.toString(), JsonDocuments.mapper().readTree(Path.of(file).toFile()), runs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ONNX Runtime's profile", e);
        } finally {
            AtomicFiles.deleteQuietly(dir);
        }
    }

    /** Sums a profile's node events by operator and by layer, leaving out the warm-up runs. */
    static OperatorProfile parse(String model, JsonNode events, int runs) {
        List<long[]> runSpans = new ArrayList<>();
        for (JsonNode e : events) {
            if ("Session".equals(e.path("cat").asText()) && "model_run".equals(e.path("name").asText())) {
                runSpans.add(new long[] {e.path("ts").asLong(), e.path("ts").asLong() + e.path("dur").asLong()});
            }
        }
        runSpans.sort(Comparator.comparingLong(s -> s[0]));
        long from = runSpans.size() > Benchmark.WARMUPS ? runSpans.get(Benchmark.WARMUPS)[0] : Long.MIN_VALUE;
        int counted = Math.max(1, runSpans.size() > Benchmark.WARMUPS ? runSpans.size() - Benchmark.WARMUPS : runs);
        Map<String, Double> byOp = new TreeMap<>();
        Map<String, Integer> nodes = new TreeMap<>();
        Map<String, Double> byLayer = new TreeMap<>();
        double total = 0;
        for (JsonNode e : events) {
            if (!"Node".equals(e.path("cat").asText()) || !e.path("name").asText().endsWith("_kernel_time") || e.path("ts").asLong() < from) {
                continue;
            }
            double ms = e.path("dur").asDouble() / 1000.0 / counted;
            String op = e.path("args").path("op_name").asText("?");
            String name = e.path("name").asText();
            String layer = OnnxBuilder.layerOf(name).orElse("(graph)");
            byOp.merge(op, ms, Double::sum);
            nodes.merge(op, 1, Integer::sum);
            byLayer.merge(layer, ms, Double::sum);
            total += ms;
        }
        Map<String, Integer> perTile = new LinkedHashMap<>();
        nodes.forEach((k, v) -> perTile.put(k, Math.round((float) v / counted)));
        return new OperatorProfile(model, counted, total, largestFirst(byOp), perTile, largestFirst(byLayer));
    }

    private static Map<String, Double> largestFirst(Map<String, Double> m) {
        Map<String, Double> out = new LinkedHashMap<>();
        m.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
