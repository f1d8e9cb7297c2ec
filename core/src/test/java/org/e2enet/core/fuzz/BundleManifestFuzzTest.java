package org.e2enet.core.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.e2enet.core.bundle.ModelBundle;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.spec.ModelSpec;

/**
 * Fuzzes a bundle's manifest.json (format, spec, plans, training state, accounting) through
 * {@link ModelBundle#read}, beside the weights of a micro network, so a manifest that parses is also checked
 * against real tensors; and the same text as a spec file through {@link ModelSpec#fromJson}.
 */
public class BundleManifestFuzzTest {
    /**
     * The target on its own, for long runs with Jazzer's command line ({@code bin/e2enet-fuzz}): a class without
     * {@code @FuzzTest}, so libFuzzer's own limits ({@code -runs}) apply.
     */
    public static final class Target {
        private Target() {
        }

        /** One input. */
        public static void fuzzerTestOneInput(byte[] input) throws Exception {
            Path bundle = FuzzProperty.scratch().resolve("bundle");
            if (!Files.exists(bundle.resolve(ModelBundle.WEIGHTS))) {
                Files.createDirectories(bundle);
                try (java.io.InputStream w = BundleManifestFuzzTest.class.getResourceAsStream("micro-weights.safetensors")) {
                    Files.write(bundle.resolve(ModelBundle.WEIGHTS), w.readAllBytes());
                }
            }
            FuzzProperty.check(input, "bundle/" + ModelBundle.MANIFEST, file -> ModelBundle.read(bundle));
            FuzzProperty.check(input, "spec.json", file -> {
                try {
                    ModelSpec.fromJson(new String(input, StandardCharsets.UTF_8), file.toString());
                } catch (BadInputException e) {
                    if (!e.getMessage().startsWith(file.toString())) {
                        throw new AssertionError("the message must name the spec: " + e.getMessage(), e);
                    }
                    throw e;
                }
            });
        }
    }

    @FuzzTest(maxDuration = "10s")
    void anyManifestReadsOrFailsAsBadInput(byte[] input) throws Exception {
        Target.fuzzerTestOneInput(input);
    }
}
