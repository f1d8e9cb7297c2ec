package org.e2enet.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.e2enet.onnx.proto.OnnxMl;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.e2enet.core.bundle.ModelBundle;
import org.e2enet.exporter.CostModel;
import org.e2enet.exporter.ExportOptions;
import org.e2enet.exporter.OnnxExporter;
import org.e2enet.exporter.RandomBundles;
import org.e2enet.exporter.SeededBundles;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pins the rewritten bytes: the SHA-256 of the INT8 (int8 and uint8 activations, with and without a convolution kept
 * in FP32) and FP16 rewrites of fixed pruned exports ({@code SeededBundles}), with fixed activation ranges. The
 * rewrites are deterministic, so a change of these hashes is a change of the calibrated graph and must be deliberate.
 */
class CalibratedBytesTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "channel, "
            + "46db57c4f31e685ad4abe08ed854f8c028165d1e703440bf6f4fbff690481257, "
            + "353b10b6f1a8eaa24f38cf55809207617707fbd44505d6f556ed6be2db20d8b3, "
            + "108a6d8e961adf52099390250c218259c1144985e56a03afc2768343028544a3, "
            + "183ddff8c409a1e4cb41a5102bbc65ce2b05bba3f2c07dce6df1214c116e1768",
        "group:2, "
            + "c6dbbb42e734d994879e2715c7e1b56b6a170c027d56dc65709c921d89aec400, "
            + "84d1c830b52e2c3a055b4330e6e9dfd799c040201b64b459bf104d5e8983698b, "
            + "59c81aa89d9a84f3848c9dd13cd7c27b5acd16ffeedc55d61ca90879435a6d21, "
            + "e1f8ed2f965b6e629c90d731b482e66242b8639a110abc1a27fe04792e5e756b",
    })
    void rewritesKeepTheirBytes(String granularity, String s8, String u8, String s8Kept, String fp16Kept, @TempDir Path dir) throws Exception {
        ModelBundle bundle = ModelBundle.read(SeededBundles.write(RandomBundles.spec(3, 3, false, granularity), dir, 11));
        OnnxMl.ModelProto fp32 = OnnxExporter.export(bundle, ExportOptions.PRUNED, CostModel.MEASURED).model();
        Set<String> kept = Set.of(QdqQuantizer.quantizableNodes(fp32).get(1));
        List<String> got = new ArrayList<>();
        got.add(sha256(QdqQuantizer.quantize(fp32, ranges(fp32, Set.of(), ActivationScheme.S8), Set.of(), ActivationScheme.S8).model()));
        got.add(sha256(QdqQuantizer.quantize(fp32, ranges(fp32, Set.of(), ActivationScheme.U8), Set.of(), ActivationScheme.U8).model()));
        got.add(sha256(QdqQuantizer.quantize(fp32, ranges(fp32, kept, ActivationScheme.S8), kept, ActivationScheme.S8).model()));
        got.add(sha256(Fp16Converter.convert(fp32, kept)));
        assertEquals(List.of(s8, u8, s8Kept, fp16Kept), got);
    }

    /** A different range for each tensor to observe, in order. */
    private static Map<String, ActivationRange> ranges(OnnxMl.ModelProto m, Set<String> kept, ActivationScheme scheme) {
        Map<String, ActivationRange> out = new LinkedHashMap<>();
        for (String t : QdqQuantizer.tensorsToObserve(m, kept, scheme)) {
            out.put(t, new ActivationRange(-1 - 0.25 * out.size(), 2 + 0.5 * out.size()));
        }
        return out;
    }

    private static String sha256(OnnxMl.ModelProto m) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(m.toByteArray()));
    }
}
