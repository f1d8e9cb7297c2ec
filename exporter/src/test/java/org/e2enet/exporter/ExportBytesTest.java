package org.e2enet.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.e2enet.core.bundle.ModelBundle;
import org.e2enet.core.onnx.Spatial;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pins the exported bytes: the SHA-256 of each export of fixed bundles, per granularity, lowering and spatial mode.
 * Export is deterministic (docs/architecture.md#onnx-model), so a change of these hashes is a change of the graph
 * and must be deliberate. The bundles are {@link SeededBundles}: made without the training engine, so that only the
 * exporter moves the hashes.
 */
class ExportBytesTest {
    @ParameterizedTest(name = "{0} P={1} (1,2,2)-first={2}")
    @CsvSource({
        "dense, 3, false, "
            + "dd4e78795abab11ebc5711c54f353bc3d24833f27c7ea86c937d4e27e50fa070, "
            + "0ed231bd55c65b04d6f2a01c65827f80e920e2e67314ca2c45996fccbe30443b, "
            + "dd4e78795abab11ebc5711c54f353bc3d24833f27c7ea86c937d4e27e50fa070, "
            + "0ed231bd55c65b04d6f2a01c65827f80e920e2e67314ca2c45996fccbe30443b",
        "kernel, 3, false, "
            + "12aa6ba09d5497a5e3fb82b9533dfe885331e1f750854935824f8cf9d9cefedd, "
            + "802bef2daf3f52ea6dd8874e5da61681dbb2553344895ca53ade4035004574e1, "
            + "167f27ae19d8265b08881bc75783e5581125ec6529dbd8293682622946adb7b0, "
            + "343a7d140b3d53047a8bb25357902f8a920767fcd36228e92a47c4436519354a",
        "channel, 4, true, "
            + "066515b3e435bc4251186cf08f864fc898a1328ab31e21fd189f855707abf42f, "
            + "576d530b91e4f82e047e575cb547896521004d074227f1ecb77c6cf84df013f9, "
            + "7b2c6a4cad98c40466fee31305102f1a7165f94f0d4ad26c24f8358864dac899, "
            + "418401b8062b6950312a5942b44b67c10bd225a965e467ca4ab60e88605a5b07",
        "group:2, 4, true, "
            + "838e7bd03ce4f81c971ebacbe1e9c9cbed7e5faa9f89375802dcfd1f3a872a43, "
            + "3ecfbccb914ee66550d2179f1e3258b628bf855a24e9084dd15ba3a1ffdf33b9, "
            + "264afb761c13d804ab6de4a0f7cc3e6cbfa79e2207e4c6e49665d1f381ee4882, "
            + "e212423a2c650bb8dea772bab794b208b34f841df0557f29ee27d8a2ec0dc1d5",
    })
    void exportsKeepTheirBytes(String granularity, int pools, boolean aniso, String prunedFixed, String prunedDynamic, String denseFixed,
                               String denseDynamic, @TempDir Path dir) throws Exception {
        ModelBundle bundle = ModelBundle.read(SeededBundles.write(RandomBundles.spec(pools, 3, aniso, granularity), dir, 5));
        List<String> got = new ArrayList<>();
        for (ExportOptions o : List.of(ExportOptions.PRUNED, ExportOptions.PRUNED.with(Spatial.DYNAMIC), ExportOptions.DENSE,
                ExportOptions.DENSE.with(Spatial.DYNAMIC))) {
            byte[] model = OnnxExporter.export(bundle, o, CostModel.MEASURED).model().toByteArray();
            got.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model)));
        }
        assertEquals(List.of(prunedFixed, prunedDynamic, denseFixed, denseDynamic), got);
    }
}
