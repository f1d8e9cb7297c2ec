package org.e2enet.distributed;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.e2enet.core.io.AtomicFiles;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.nifti.NiftiReader;
import org.e2enet.core.volume.Volume;
import org.e2enet.runtime.CaseFiles;
import org.e2enet.runtime.CasePrediction;
import org.e2enet.runtime.Segmenter;

/**
 * Segments one case on an executor: skipped when its {@code {case}.nii.gz} is already in the output (written
 * atomically, so one that exists is complete), else predicted with the JVM's Segmenter and written atomically.
 * Whatever goes wrong with the case becomes its row's error; it never fails the task.
 */
final class CaseTask {
    /** This JVM, as the rows name it. */
    private static final String EXECUTOR = executor();

    private CaseTask() {
    }

    /** The row of {@code c}. */
    static CaseOutcome run(JobSettings s, CohortCase c) {
        String target = StagedFiles.child(s.output(), c.id() + ".nii.gz");
        Path tmp = null;
        try {
            if (StagedFiles.exists(target)) {
                tmp = Files.createTempDirectory("e2enet-case");
                Volume done = NiftiReader.read(StagedFiles.toLocal(target, tmp));
                return row(s, c.id(), CaseOutcome.Status.SKIPPED, null, volumes(done, s), null, "");
            }
            Segmenter seg = ExecutorSegmenters.get(s);
            tmp = Files.createTempDirectory("e2enet-case");
            List<Path> channels = new ArrayList<>();
            for (String ch : c.channels()) {
                channels.add(StagedFiles.toLocal(ch, tmp));
            }
            boolean local = StagedFiles.isLocal(s.output());
            Path outDir = local ? StagedFiles.local(s.output()) : Files.createDirectories(tmp.resolve("out"));
            CasePrediction.Outcome o = CasePrediction.predict(seg, new CaseFiles(c.id(), channels), outDir, false);
            if (!local) {
                StagedFiles.publish(outDir.resolve(c.id() + ".nii.gz"), target);
            }
            return row(s, c.id(), CaseOutcome.Status.DONE, null, volumes(o.labels(), s), o.timing(), seg.model().backend().label());
        } catch (BadInputException e) {
            return row(s, c.id(), CaseOutcome.Status.FAILED, e.getMessage(), Map.of(), null, "");
        } catch (IOException | RuntimeException e) {
            return row(s, c.id(), CaseOutcome.Status.FAILED, e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).lines().findFirst()
                    .orElse(""), Map.of(), null, "");
        } finally {
            if (tmp != null) {
                AtomicFiles.deleteQuietly(tmp);
            }
        }
    }

    /** Volume in ml of each foreground class of a label map. */
    static Map<String, Double> volumes(Volume labels, JobSettings s) {
        long[] counts = new long[s.classNames().size()];
        for (int i = 0; i < labels.shape().voxelsInt(); i++) {
            int v = (int) labels.value(0, i);
            if (v > 0 && v < counts.length) {
                counts[v]++;
            }
        }
        double ml = labels.spacing().voxelVolume() / 1000.0;
        Map<String, Double> out = new LinkedHashMap<>();
        for (int k = 1; k < counts.length; k++) {
            out.put(s.classNames().get(k), counts[k] * ml);
        }
        return out;
    }

    private static CaseOutcome row(JobSettings s, String id, CaseOutcome.Status status, String error, Map<String, Double> volumes,
                                   CasePrediction.Timing t, String backend) {
        return new CaseOutcome(id, status, error, volumes, t == null ? 0 : t.readMs() / 1e3, t == null ? 0 : t.preprocessMs() / 1e3,
                t == null ? 0 : t.networkMs() / 1e3, t == null ? 0 : t.tilePathMs() / 1e3, t == null ? 0 : t.postprocessMs() / 1e3,
                t == null ? 0 : t.writeMs() / 1e3, t == null ? 0 : t.voxels(), backend, s.modelSha256(), EXECUTOR);
    }

    private static String executor() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown-host";
        }
        return host + ":" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}
