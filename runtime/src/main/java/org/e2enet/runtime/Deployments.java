package org.e2enet.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.io.Sha256;
import org.e2enet.devices.DeploymentProfile;

/** Opens what a deployment profile ({@code e2enet plan}) chose: its model, backend, threads and tile batch. */
public final class Deployments {
    private Deployments() {
    }

    /**
     * A segmenter for {@code profileFile}'s choice; {@code options}' batch is replaced by the profile's. A profile
     * naming a missing model, a model whose bytes changed since planning, or a backend this machine lacks is bad
     * input naming the profile.
     *
     * @param profileFile a deployment profile written by {@code e2enet plan}
     * @param options how to segment, but for the batch
     * @return a segmenter that owns its model
     * @throws BadInputException naming the profile when it cannot be read or its choice cannot be opened here
     */
    public static Segmenter open(Path profileFile, SegmenterOptions options) {
        DeploymentProfile p = DeploymentProfile.read(profileFile);
        Path model = Path.of(p.model());
        if (!Files.isRegularFile(model)) {
            throw BadInputException.of(profileFile, "its model " + model + " does not exist");
        }
        String sha = Sha256.of(model);
        if (!sha.equals(p.modelSha256())) {
            throw BadInputException.of(profileFile, "its model " + model + " changed since planning (SHA-256 " + sha.substring(0, 16)
                    + "..., planned " + p.modelSha256().substring(0, Math.min(16, p.modelSha256().length())) + "...): plan again");
        }
        Backend backend;
        try {
            backend = Backend.parse(p.backend());
        } catch (IllegalArgumentException e) {
            throw BadInputException.of(profileFile, e.getMessage());
        }
        BackendOptions o = BackendOptions.builder().threads(p.threads()).maxBatch(Math.max(8, p.batch())).build();
        try {
            return Segmenter.open(model, backend, o, options.toBuilder().batch(p.batch()).build());
        } catch (BadInputException e) {
            throw BadInputException.of(profileFile, "its backend " + p.backend() + " cannot run here: " + e.getMessage(), e);
        }
    }
}
