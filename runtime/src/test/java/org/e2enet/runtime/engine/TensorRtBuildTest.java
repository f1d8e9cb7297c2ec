package org.e2enet.runtime.engine;

import org.e2enet.runtime.RuntimeFixtures;
import org.e2enet.runtime.BackendOptions;
import org.e2enet.runtime.OnnxModel;
import org.e2enet.runtime.Backend;
import org.e2enet.runtime.engine.TensorRtBuild;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.onnx.E2eNetOnnx;
import org.e2enet.core.onnx.OnnxNodes;
import org.e2enet.core.onnx.OnnxTensors;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.devices.GpuStack;
import org.e2enet.onnx.proto.OnnxMl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorRtBuildTest {
    @TempDir
    Path dir;

    private Path exported() throws Exception {
        ModelSpec spec = RuntimeFixtures.spec(new int[] {16, 32, 32}, 3);
        return RuntimeFixtures.export(spec, dir, 4);
    }

    private static OnnxMl.ModelProto read(Path file) throws Exception {
        return OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file));
    }

    @Test
    void fp16KeepsEveryInstanceNormalizationInFp32AndFp32ConstrainsNothing() throws Exception {
        Path onnx = exported();
        long norms = read(onnx).getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("InstanceNormalization")).count();
        assertTrue(norms > 0);
        TensorRtBuild fp16 = TensorRtBuild.of(E2eNetOnnx.read(onnx), BackendOptions.builder().threads(1).fp16(true).engineCache(dir).maxBatch(2).build());
        assertTrue(fp16.fp16() && fp16.normsInFp32() && !fp16.explicitInt8());
        assertEquals(norms, fp16.normalizations().size());
        assertEquals("fp16", fp16.precision());
        TensorRtBuild fp32 = TensorRtBuild.of(E2eNetOnnx.read(onnx), BackendOptions.cpu(1));
        assertFalse(fp32.fp16() || fp32.normsInFp32() || fp32.explicitInt8());
        assertEquals("fp32", fp32.precision());
        assertEquals(1L << 30, fp32.workspaceBytes());
    }

    /** The exported model with a symmetric int8 QuantizeLinear / DequantizeLinear pair on the image. */
    private Path withQdq(Path onnx, OnnxMl.TensorProto.DataType zeroType, byte zero) throws Exception {
        OnnxMl.ModelProto m = read(onnx);
        OnnxMl.GraphProto.Builder g = m.getGraph().toBuilder();
        String image = g.getInput(0).getName();
        g.addInitializer(OnnxTensors.float32("qdq.scale", new float[] {0.05f}));
        g.addInitializer(OnnxTensors.raw("qdq.zero", zeroType, new byte[] {zero}));
        for (int i = 0; i < g.getNodeCount(); i++) {
            OnnxMl.NodeProto n = g.getNode(i);
            for (int k = 0; k < n.getInputCount(); k++) {
                if (n.getInput(k).equals(image)) {
                    g.setNode(i, n.toBuilder().setInput(k, "image.dq"));
                }
            }
        }
        g.addNode(0, OnnxNodes.node("DequantizeLinear", "image/dq", List.of("image.q", "qdq.scale", "qdq.zero"), "image.dq", Map.of()));
        g.addNode(0, OnnxNodes.node("QuantizeLinear", "image/q", List.of(image, "qdq.scale", "qdq.zero"), "image.q", Map.of()));
        Path out = dir.resolve("qdq-" + zeroType + "-" + zero + ".onnx");
        Files.write(out, m.toBuilder().setGraph(g).build().toByteArray());
        return out;
    }

    @Test
    void anExplicitlyQuantizedModelIsPlannedAsInt8WithoutACalibratorAndAMissingTensorRtIsExplained() throws Exception {
        Path qdq = withQdq(exported(), OnnxMl.TensorProto.DataType.INT8, (byte) 0);
        try (OnnxModel cpu = OnnxModel.open(qdq, Backend.ORT_CPU, 1)) {
            // a valid Q/DQ model: ONNX Runtime runs it
            assertEquals(3 * 16 * 32 * 32, cpu.run(new float[16 * 32 * 32], new long[] {1, 1, 16, 32, 32}).length);
        }
        TensorRtBuild b = TensorRtBuild.of(E2eNetOnnx.read(qdq), BackendOptions.cpu(1));
        assertTrue(b.explicitInt8() && b.normsInFp32() && !b.fp16());
        assertEquals("int8", b.precision());
        assertEquals("int8-fp16", TensorRtBuild.of(E2eNetOnnx.read(qdq), BackendOptions.builder().threads(1).fp16(true).engineCache(dir).maxBatch(2).build()).precision());
        assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA), "this machine has a GPU stack");
        BadInputException e = assertThrows(BadInputException.class, () -> OnnxModel.open(qdq, Backend.TENSORRT, 1));
        assertTrue(e.getMessage().contains("libnvinfer.so.10") && e.getMessage().contains(GpuStack.EXPECTED), e.getMessage());
    }

    @Test
    void anAsymmetricQuantizationIsRefusedNamingTheNodeBeforeAnyGpuLibrary() throws Exception {
        Path qdq = withQdq(exported(), OnnxMl.TensorProto.DataType.UINT8, (byte) 128);
        BadInputException e = assertThrows(BadInputException.class, () -> OnnxModel.open(qdq, Backend.TENSORRT, 1));
        assertTrue(e.getMessage().contains("image/q") && e.getMessage().contains("symmetric int8"), e.getMessage());
    }
}
