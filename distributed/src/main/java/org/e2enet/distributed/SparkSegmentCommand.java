package org.e2enet.distributed;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.io.CommandLineErrors;
import org.e2enet.core.io.Sha256;
import org.e2enet.core.onnx.E2eNetOnnx;
import org.e2enet.devices.DeploymentProfile;
import org.e2enet.runtime.Backend;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code e2enet-spark segment}: a cohort segmented on Apache Spark, one row per case in cohort.csv and cohort.parquet. */
@Command(name = "e2enet-spark", mixinStandardHelpOptions = true, subcommands = SparkSegmentCommand.Segment.class,
        description = "Cohort inference on Apache Spark with the e2enet runtime.")
public final class SparkSegmentCommand implements Runnable {
    /** Exit code when a case failed (the others were still segmented): a failed check. */
    public static final int CASE_FAILED = CommandLineErrors.CHECK_FAILED;
    /** Exit code for bad input. */
    public static final int BAD_INPUT = CommandLineErrors.BAD_INPUT;
    /** How errors are reported: as the {@code e2enet} command reports them. */
    private static final CommandLineErrors ERRORS = new CommandLineErrors("e2enet-spark");

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Show stack traces of errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The subcommand. */
    @Command(name = "segment", mixinStandardHelpOptions = true,
            description = "Segment every case of a directory (nnU-Net naming: {case}_0000.nii.gz ...) or a manifest (.csv or .parquet with "
                    + "columns case, channel_0000, ...) on Spark: the cases are spread over partitions, each executor JVM opens one "
                    + "Segmenter and reuses it for all its tasks, and writes {case}.nii.gz atomically. The driver writes cohort.csv and "
                    + "cohort.parquet (case, status, error, volume in ml per class, seconds per stage, backend, model SHA-256) and "
                    + "exits 1 when a case failed, after finishing the others. Cases whose segmentation is already in the output are "
                    + "skipped, so a rerun completes an interrupted job.",
            footer = {"", "Examples:",
                "  bin/e2enet-spark segment --onnx model.onnx --input cohort/imagesTs --output seg --master local[2]",
                "  spark-submit --class org.e2enet.distributed.SparkSegmentCommand distributed/target/e2enet-spark.jar segment \\",
                "      --onnx hdfs:///models/model.onnx --input hdfs:///cohort/manifest.parquet --output hdfs:///cohort/seg"})
    static final class Segment implements Callable<Integer> {
        @Option(names = "--onnx", description = "The model (local path or Hadoop URI).")
        String onnx;

        @Option(names = "--deployment", description = "A deployment profile from 'e2enet plan' (model, backend and threads) instead of --onnx.")
        Path deployment;

        @Option(names = "--input", required = true, description = "A directory of images, or a .csv or .parquet manifest.")
        String input;

        @Option(names = "--output", required = true, description = "The output directory (local path or Hadoop URI).")
        String output;

        @Option(names = "--master", description = "Spark master, e.g. local[2] (default: what spark-submit sets, else local[*]).")
        String master;

        @Option(names = "--partitions", description = "Partitions (default: the cluster's default parallelism).")
        Integer partitions;

        @Option(names = "--backend", defaultValue = "ort-cpu", description = "ort-cpu, ort-cuda, ort-trt, tensorrt or auto. Default: ${DEFAULT-VALUE}.")
        String backend;

        @Option(names = "--threads", description = "CPU threads per executor's Segmenter (default: the executor's cores).")
        Integer threads;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec cmd;

        @Override
        public Integer call() throws Exception {
            Job job = job();
            JobSettings settings = job.settings();
            SparkSession.Builder b = SparkSession.builder().appName("e2enet segment");
            if (master != null) {
                b.master(master);
            } else if (System.getProperty("spark.master") == null) { // spark-submit sets it
                b.master("local[*]");
            }
            SparkSession spark = b.getOrCreate();
            PrintWriter o = cmd.commandLine().getOut();
            List<CohortCase> cases = CohortInput.read(input, job.model().spec().inputChannels(), spark);
            int parts = partitions != null ? partitions : spark.sparkContext().defaultParallelism();
            o.printf(Locale.ROOT, "segmenting %d case(s) in %d partition(s) with %s (%s)%n", cases.size(), Math.min(parts, cases.size()),
                    settings.model(), settings.backend().label());
            o.flush();
            CohortSegmentation.Summary s = CohortSegmentation.run(spark, settings, cases, parts);
            for (CaseOutcome r : s.rows()) {
                if (r.status() == CaseOutcome.Status.FAILED) {
                    o.printf("  %s failed: %s%n", r.caseId(), r.error());
                }
            }
            long failed = s.count(CaseOutcome.Status.FAILED);
            o.printf(Locale.ROOT, "%d done, %d skipped (already segmented), %d failed in %.1f s: %.3g voxels/s, %.1f cases/min; wrote %s and %s%n",
                    s.count(CaseOutcome.Status.DONE), s.count(CaseOutcome.Status.SKIPPED), failed, s.wallSeconds(), s.voxelsPerSecond(),
                    s.count(CaseOutcome.Status.DONE) * 60 / Math.max(1e-9, s.wallSeconds()), StagedFiles.child(output, CohortTable.CSV),
                    StagedFiles.child(output, CohortTable.PARQUET));
            o.flush();
            return failed > 0 ? CASE_FAILED : CommandLineErrors.SUCCESS;
        }

        /** The job's settings and the model they name, read once by the driver (a remote model copied here once). */
        private record Job(JobSettings settings, E2eNetOnnx model) {
        }

        private Job job() {
            if ((onnx == null) == (deployment == null)) {
                throw new BadInputException("give either --onnx or --deployment");
            }
            String model = onnx;
            String b = backend;
            int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
            if (deployment != null) {
                DeploymentProfile p = DeploymentProfile.read(deployment);
                model = p.model();
                b = p.backend();
                t = threads != null ? threads : p.threads();
            }
            Backend parsed = Backend.parse(b);
            Path local = Path.of(localModel(model));
            String sha = Sha256.of(local);
            E2eNetOnnx m = E2eNetOnnx.read(local);
            if (m.plans() == null) {
                throw BadInputException.of(local, "has no e2enet.plans metadata: export it from a bundle trained on a dataset");
            }
            return new Job(new JobSettings(model, sha, parsed, t, output, m.plans().classNames()), m);
        }

        /** The driver's local copy of the model (the driver reads its metadata; executors copy it themselves). */
        private String localModel(String model) {
            if (StagedFiles.isLocal(model)) {
                return StagedFiles.local(model).toString();
            }
            try {
                Path dir = Files.createTempDirectory("e2enet-driver-model");
                dir.toFile().deleteOnExit();
                Path p = StagedFiles.toLocal(model, dir);
                p.toFile().deleteOnExit();
                return p.toString();
            } catch (java.io.IOException e) {
                throw new BadInputException(model + ": cannot read the model (" + e.getMessage() + ")");
            }
        }
    }

    /** The command line with {@link CommandLineErrors}' one-line errors and exit codes, stack traces with {@code --debug}. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SparkSegmentCommand());
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            // --debug is inherited: it may have been given to the top command or to the subcommand
            boolean debug = parsed.hasMatchedOption("--debug") || parsed.subcommands().stream().anyMatch(s -> s.hasMatchedOption("--debug"));
            return ERRORS.report(e, debug, c.getErr());
        });
        return cl;
    }

    /** Runs and exits with the command's code. */
    public static void main(String[] args) {
        int code = commandLine().execute(args);
        System.exit(code);
    }
}
