package org.e2enet.devices;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.io.JsonDocuments;

/**
 * What {@code e2enet plan} chose for this machine ({@code deployment.json}, format {@value #FORMAT}): the model
 * (with its SHA-256, so a changed file is noticed), backend, precision, threads and tile batch, the measured
 * tile time, and every candidate measured or ruled out.
 *
 * @param format {@value #FORMAT}
 * @param model the chosen model file, as given to the planner
 * @param modelSha256 its SHA-256 when planned
 * @param backend the backend label (ort-cpu, ort-cuda, ort-trt, tensorrt)
 * @param precision fp32, fp16, int8, ...
 * @param threads CPU threads
 * @param batch tiles per network call
 * @param tileMs measured milliseconds per tile
 * @param candidates all candidates, in the order they were considered
 */
public record DeploymentProfile(String format, String model, String modelSha256, String backend, String precision, int threads, int batch,
                                double tileMs, List<Candidate> candidates) {
    /** The format tag. */
    public static final String FORMAT = "e2enet-deployment/1";

    /**
     * One candidate.
     *
     * @param model the model file
     * @param backend the backend label
     * @param precision the model's precision
     * @param threads CPU threads
     * @param batch tiles per call
     * @param tileMs measured milliseconds per tile, or null when not measured
     * @param note why it was not measured or not eligible, or null
     */
    public record Candidate(String model, String backend, String precision, int threads, int batch, Double tileMs, String note) {
    }

    /** Writes the profile atomically. */
    public void write(Path file) throws IOException {
        JsonDocuments.write(file, this);
    }

    /** The JSON text. */
    public String toJson() {
        return JsonDocuments.toJson(this);
    }

    /** Reads a profile; anything else is bad input naming the file. */
    public static DeploymentProfile read(Path file) {
        DeploymentProfile p = JsonDocuments.read(file, DeploymentProfile.class, FORMAT, "deployment profile");
        if (p.model() == null || p.modelSha256() == null || p.backend() == null || p.threads() < 1 || p.batch() < 1) {
            throw BadInputException.of(file, "a deployment profile needs model, modelSha256, backend, threads >= 1 and batch >= 1");
        }
        return p;
    }
}
