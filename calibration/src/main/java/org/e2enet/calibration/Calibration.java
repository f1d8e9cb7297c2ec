package org.e2enet.calibration;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.e2enet.core.io.AtomicFiles;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.io.Sha256;
import org.e2enet.core.onnx.CalibrationMetadata;
import org.e2enet.core.onnx.E2eNetOnnx;
import org.e2enet.core.onnx.OnnxBuilder;
import org.e2enet.core.onnx.ModelPrecision;
import org.e2enet.core.onnx.OnnxContract;
import org.e2enet.core.onnx.WeightDigests;
import org.e2enet.core.progress.ProgressListener;
import org.e2enet.onnx.proto.OnnxMl;
import org.e2enet.runtime.Backend;
import org.e2enet.runtime.OnnxModel;

/**
 * {@code e2enet calibrate}: an FP32 export and real data in, an INT8 or FP16 model and its calibration report
 * out, both written atomically and only when the accuracy gate passes.
 */
public final class Calibration {
    private Calibration() {
    }

    /**
     * The outcome.
     *
     * @param report the report (written beside {@code out} when the gate passed)
     * @param written whether the model and report were written
     */
    public record Outcome(CalibrationReport report, boolean written) {
    }

    /** Calibrates {@code onnx} on {@code dataset} into {@code out} (and {@code out}'s calibration report). */
    public static Outcome run(Path onnx, Path dataset, Path out, CalibrationOptions o, ProgressListener progress) throws IOException {
        long t0 = System.nanoTime();
        E2eNetOnnx source = E2eNetOnnx.read(onnx);
        refuseReduced(source);
        Path report = OnnxContract.besideModel(out, OnnxContract.CALIBRATION_REPORT_SUFFIX);
        if (out.toAbsolutePath().normalize().equals(onnx.toAbsolutePath().normalize())) {
            throw BadInputException.of(out, "is the FP32 model itself: choose another --out");
        }
        AtomicFiles.requireWritable(out);
        AtomicFiles.requireWritable(report);
        OnnxMl.ModelProto fp32 = source.model();
        Set<String> requested = resolve(fp32, o.keepFp32(), onnx);
        CalibrationData data = CalibrationData.load(dataset, source, o.cases(), o.tiles(), progress);
        if (data.gateCases().isEmpty()) {
            throw BadInputException.of(dataset, "has no labelled case for the accuracy gate (imagesTs with labelsTs, or two or more "
                    + "training cases)");
        }
        Function<Set<String>, Candidate> build;
        String method;
        if (o.precision() == ModelPrecision.INT8) {
            Set<String> observe = QdqQuantizer.tensorsToObserve(fp32, requested, o.scheme());
            Map<String, ActivationRange> ranges = ActivationStatistics.collect(fp32, observe, QdqQuantizer.logitTensors(fp32), data.tiles(),
                    o.method(), o.threads(), progress);
            build = kept -> {
                QdqQuantizer.Result q = QdqQuantizer.quantize(fp32, ranges, kept, o.scheme());
                return new Candidate(q.model(), scalesDigest(q.activations()));
            };
            method = o.method().label();
        } else {
            build = kept -> new Candidate(Fp16Converter.convert(fp32, kept), null);
            method = "none";
        }
        Path work = Files.createTempDirectory(out.toAbsolutePath().getParent(), ".calibrate-");
        try {
            AccuracyGate gate = new AccuracyGate(onnx, data.gateCases(), o.threads(), progress);
            Set<String> base = new LinkedHashSet<>(requested);
            Path file = work.resolve("candidate.onnx");
            List<LayerTiming> speed = List.of();
            if (o.precision() == ModelPrecision.INT8 && o.fp32WhereFaster()) {
                progress.start("speed: FP32 and INT8 layers profiled", 1);
                Files.write(file, withMetadata(build.apply(base), base, source, o, data).toByteArray());
                speed = LayerTiming.compare(onnx, file, QdqQuantizer.quantizableNodes(fp32).stream().filter(n -> !base.contains(n)).toList(),
                        o.threads());
                speed.stream().filter(LayerTiming::keptFp32).forEach(t -> base.add(t.node()));
                progress.finish();
            }
            Set<String> kept = new LinkedHashSet<>(base);
            Candidate c = build.apply(kept);
            AccuracyGate.Result result = gateOf(c, kept, source, o, data, file, gate, progress);
            List<LayerSensitivity> sensitivity = List.of();
            if (!result.passed() && o.autoKeep()) {
                List<LayerSensitivity> ranked = sensitivity(fp32, base, build, gate, work, o.threads(), progress);
                for (int k = 1; !result.passed() && k <= ranked.size(); k = k == ranked.size() ? k + 1 : Math.min(ranked.size(), 2 * k)) {
                    kept = new LinkedHashSet<>(base);
                    for (int i = 0; i < k; i++) {
                        kept.add(ranked.get(i).node());
                    }
                    c = build.apply(kept);
                    result = gateOf(c, kept, source, o, data, file, gate, progress);
                }
                Set<String> finalKept = kept;
                sensitivity = ranked.stream().map(s -> new LayerSensitivity(s.layer(), s.node(), s.meanAbsLogitDiff(),
                        finalKept.contains(s.node()))).toList();
            }
            List<String> keptNodes = keptNodes(fp32, kept, o.precision());
            CalibrationReport r = new CalibrationReport(CalibrationReport.FORMAT, out.getFileName().toString(), onnx.toString(),
                    Sha256.of(onnx), o.precision().label(), method, o.precision() == ModelPrecision.INT8 ? o.scheme().label() : null,
                    data.calibrationCases(), data.tiles().size(), keptNodes, result, sensitivity, speed, result.passed(),
                    (System.nanoTime() - t0) / 1e9);
            if (result.passed()) {
                Files.move(file, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                r.write(report);
            }
            return new Outcome(r, result.passed());
        } finally {
            AtomicFiles.deleteQuietly(work);
        }
    }

    /** A candidate graph and the digest of its activation scales (null for FP16). */
    private record Candidate(OnnxMl.ModelProto model, String scalesSha256) {
    }

    /** Writes the candidate with its metadata to {@code file} and runs the gate on it. */
    private static AccuracyGate.Result gateOf(Candidate c, Set<String> kept, E2eNetOnnx source, CalibrationOptions o, CalibrationData data,
                                              Path file, AccuracyGate gate, ProgressListener progress) throws IOException {
        OnnxMl.ModelProto m = withMetadata(c, kept, source, o, data);
        Files.write(file, m.toByteArray());
        return gate.evaluate(file, o.maxDiceDropPoints(), o.precision().label() + (kept.isEmpty() ? "" : ", " + kept.size() + " node(s) FP32"),
                progress);
    }

    private static OnnxMl.ModelProto withMetadata(Candidate c, Set<String> kept, E2eNetOnnx source, CalibrationOptions o, CalibrationData data) {
        OnnxMl.ModelProto m = c.model();
        WeightDigests own = WeightDigests.of(m, name -> List.of());
        CalibrationMetadata meta = new CalibrationMetadata(o.precision().label(), o.precision() == ModelPrecision.INT8 ? o.method().label()
                : "none", o.precision() == ModelPrecision.INT8 ? o.scheme().label() : null, data.calibrationCases(), data.tiles().size(),
                c.scalesSha256(), keptNodes(source.model(), kept, o.precision()), Sha256.of(source.file()), own.initializers());
        OnnxMl.ModelProto.Builder b = m.toBuilder().clearMetadataProps();
        for (OnnxMl.StringStringEntryProto p : m.getMetadataPropsList()) {
            b.addMetadataProps(p);
        }
        b.addMetadataProps(entry(OnnxContract.PRECISION, o.precision().label()));
        b.addMetadataProps(entry(OnnxContract.CALIBRATION, meta.toJson()));
        return b.build();
    }

    private static OnnxMl.StringStringEntryProto entry(String k, String v) {
        return OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }

    /** The nodes that compute in FP32: the requested or automatic ones and, for FP16, every InstanceNormalization. */
    private static List<String> keptNodes(OnnxMl.ModelProto fp32, Set<String> kept, ModelPrecision p) {
        Set<String> out = new LinkedHashSet<>(kept);
        if (p == ModelPrecision.FP16) {
            out.addAll(Fp16Converter.alwaysKept(fp32));
        }
        return List.copyOf(out);
    }

    /** Refuses a model that is already reduced. */
    private static void refuseReduced(E2eNetOnnx m) {
        ModelPrecision p = ModelPrecision.of(m);
        if (p.reduced()) {
            throw BadInputException.of(m.file(), "is already calibrated (" + OnnxContract.PRECISION + " = " + p.label()
                    + "): calibrate the FP32 export");
        }
        for (OnnxMl.NodeProto n : m.model().getGraph().getNodeList()) {
            if (n.getOpType().equals("QuantizeLinear") || n.getOpType().equals("DequantizeLinear") || n.getOpType().equals("Cast")) {
                throw BadInputException.of(m.file(), "is already quantized (it has " + n.getOpType() + " nodes): calibrate the FP32 export");
            }
        }
        for (OnnxMl.TensorProto t : m.model().getGraph().getInitializerList()) {
            if (t.getDataType() == OnnxMl.TensorProto.DataType.FLOAT16.getNumber() || t.getDataType() == OnnxMl.TensorProto.DataType.INT8.getNumber()) {
                throw BadInputException.of(m.file(), "already stores reduced-precision weights (" + t.getName() + "): calibrate the FP32 export");
            }
        }
    }

    /**
     * The convolution and other node names {@code names} selects: each a node name, or a layer name selecting
     * every node of that layer ({@code layer/...}); a name that selects nothing is bad input.
     */
    static Set<String> resolve(OnnxMl.ModelProto model, List<String> names, Path file) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : names) {
            List<String> hit = new ArrayList<>();
            for (OnnxMl.NodeProto n : model.getGraph().getNodeList()) {
                if (n.getName().equals(name) || n.getName().startsWith(name + "/")) {
                    hit.add(n.getName());
                }
            }
            if (hit.isEmpty()) {
                List<String> layers = QdqQuantizer.quantizableNodes(model).stream().map(Calibration::layerOf).distinct().limit(6).toList();
                throw BadInputException.of(file, "has no layer or node '" + name + "' for --keep-fp32 (layers are named like "
                        + String.join(", ", layers) + ", ...; 'e2enet info' lists them)");
            }
            out.addAll(hit);
        }
        return out;
    }

    /** The layer a node belongs to (its name's scope). */
    static String layerOf(String node) {
        return OnnxBuilder.layerOf(node).orElse(node);
    }

    /** Each convolution's sensitivity: the logit change with only it reduced; most sensitive first. */
    private static List<LayerSensitivity> sensitivity(OnnxMl.ModelProto fp32, Set<String> requested, Function<Set<String>, Candidate> build,
                                                      AccuracyGate gate, Path work, int threads, ProgressListener progress) throws IOException {
        List<String> convs = QdqQuantizer.quantizableNodes(fp32).stream().filter(n -> !requested.contains(n)).toList();
        List<CalibrationTile> tiles = gate.logitTiles();
        List<LayerSensitivity> out = new ArrayList<>();
        progress.start("sensitivity", convs.size());
        Set<String> allNodes = new LinkedHashSet<>();
        fp32.getGraph().getNodeList().forEach(n -> allNodes.add(n.getName()));
        Path file = work.resolve("sensitivity.onnx");
        for (String conv : convs) {
            Set<String> others = new LinkedHashSet<>(allNodes);
            others.remove(conv);
            Files.write(file, build.apply(others).model().toByteArray());
            double sum = 0;
            long n = 0;
            try (OnnxModel m = OnnxModel.open(file, Backend.ORT_CPU, threads)) {
                for (int t = 0; t < tiles.size(); t++) {
                    float[] a = gate.fp32LogitsOf(t);
                    float[] b = m.run(tiles.get(t).data(), tiles.get(t).shape());
                    for (int i = 0; i < a.length; i++) {
                        sum += Math.abs(a[i] - b[i]);
                    }
                    n += a.length;
                }
            }
            out.add(new LayerSensitivity(layerOf(conv), conv, n == 0 ? 0 : sum / n, false));
            progress.step(layerOf(conv));
        }
        progress.finish();
        out.sort(Comparator.comparingDouble(LayerSensitivity::meanAbsLogitDiff).reversed());
        return out;
    }

    /** SHA-256 over every activation tensor's name, scale and zero point, in graph order. */
    static String scalesDigest(Map<String, ActivationScheme.Params> params) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (Map.Entry<String, ActivationScheme.Params> e : params.entrySet()) {
            bytes.writeBytes(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            bytes.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(e.getValue().scale())
                    .putInt(e.getValue().zeroPoint()).array());
        }
        return Sha256.of(bytes.toByteArray());
    }
}
