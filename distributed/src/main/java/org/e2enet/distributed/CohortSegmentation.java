package org.e2enet.distributed;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The job: the cases spread over partitions, each executor segmenting its share with its one Segmenter, the
 * rows collected on the driver and written as the cohort table. A failed case is a row, not a failed task, so
 * the others finish; cases already segmented are skipped, so a resubmitted job picks up where one stopped.
 */
public final class CohortSegmentation {
    private CohortSegmentation() {
    }

    /**
     * The summary of a run.
     *
     * @param rows every case's row, in input order
     * @param wallSeconds the job's wall time
     */
    public record Summary(List<CaseOutcome> rows, double wallSeconds) {
        /** Cases with status {@code status}. */
        public long count(CaseOutcome.Status status) {
            return rows.stream().filter(r -> r.status() == status).count();
        }

        /** Voxels segmented per second of wall time. */
        public double voxelsPerSecond() {
            return rows.stream().mapToLong(CaseOutcome::voxels).sum() / Math.max(1e-9, wallSeconds);
        }
    }

    /** Segments {@code cases} with {@code settings} over {@code partitions} partitions and writes the cohort table. */
    public static Summary run(SparkSession spark, JobSettings settings, List<CohortCase> cases, int partitions) throws IOException {
        long t0 = System.nanoTime();
        if (StagedFiles.isLocal(settings.output())) {
            java.nio.file.Files.createDirectories(StagedFiles.local(settings.output()));
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<CaseOutcome> rows = jsc.parallelize(cases, Math.max(1, Math.min(partitions, cases.size()))).mapPartitions((Iterator<CohortCase> it) -> {
            List<CaseOutcome> out = new ArrayList<>();
            while (it.hasNext()) {
                out.add(CaseTask.run(settings, it.next()));
            }
            return out.iterator();
        }).collect();
        CohortTable.write(spark, rows, settings.classNames(), settings.output());
        return new Summary(List.copyOf(rows), (System.nanoTime() - t0) / 1e9);
    }
}
