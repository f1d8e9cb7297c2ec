package org.e2enet.distributed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.e2enet.core.io.AtomicFiles;
import org.e2enet.core.io.CsvTable;

/**
 * The cohort table, one row per case, written by the driver as {@code cohort.csv} and {@code cohort.parquet} in
 * the output location: case, status, error, one {@code volume_ml_{class}} column per foreground class, seconds
 * per stage, voxels, backend, model SHA-256 and the executor that ran it.
 */
final class CohortTable {
    /** The CSV file's name. */
    static final String CSV = "cohort.csv";
    /** The Parquet dataset's name. */
    static final String PARQUET = "cohort.parquet";
    private static final List<String> STAGES = List.of("read_s", "preprocess_s", "network_s", "tile_path_s", "postprocess_s", "write_s");

    private CohortTable() {
    }

    /** The column names for the foreground classes of {@code classNames}. */
    static List<String> header(List<String> classNames) {
        List<String> h = new ArrayList<>(List.of("case", "status", "error"));
        for (String c : classNames.subList(1, classNames.size())) {
            h.add("volume_ml_" + c);
        }
        h.addAll(STAGES);
        h.addAll(List.of("total_s", "voxels", "backend", "model_sha256", "executor"));
        return h;
    }

    /** Writes both files into {@code output}. */
    static void write(SparkSession spark, List<CaseOutcome> rows, List<String> classNames, String output) throws IOException {
        List<List<String>> text = new ArrayList<>();
        List<Row> typed = new ArrayList<>();
        for (CaseOutcome r : rows) {
            List<String> t = new ArrayList<>(List.of(r.caseId(), r.status().label(), r.error() == null ? "" : r.error()));
            List<Object> v = new ArrayList<>(List.of(r.caseId(), r.status().label(), r.error() == null ? "" : r.error()));
            for (String c : classNames.subList(1, classNames.size())) {
                Double ml = r.volumesMl().get(c);
                t.add(ml == null ? "" : String.format(Locale.ROOT, "%.3f", ml));
                v.add(ml);
            }
            double[] stages = {r.readS(), r.preprocessS(), r.networkS(), r.tilePathS(), r.postprocessS(), r.writeS(), r.totalS()};
            for (double s : stages) {
                t.add(String.format(Locale.ROOT, "%.3f", s));
                v.add(s);
            }
            t.addAll(List.of(Long.toString(r.voxels()), r.backend(), r.modelSha256(), r.executor()));
            v.addAll(List.of(r.voxels(), r.backend(), r.modelSha256(), r.executor()));
            text.add(t);
            typed.add(RowFactory.create(v.toArray()));
        }
        CsvTable csv = new CsvTable(header(classNames), text);
        if (StagedFiles.isLocal(output)) {
            csv.write(StagedFiles.local(output).resolve(CSV));
        } else {
            Path tmp = Files.createTempFile("cohort", ".csv");
            try {
                csv.write(tmp);
                StagedFiles.publish(tmp, StagedFiles.child(output, CSV));
            } finally {
                AtomicFiles.deleteQuietly(tmp);
            }
        }
        spark.createDataFrame(typed, schema(classNames)).coalesce(1).write().mode(SaveMode.Overwrite).parquet(StagedFiles.child(output, PARQUET));
    }

    private static StructType schema(List<String> classNames) {
        List<StructField> f = new ArrayList<>();
        List<String> h = header(classNames);
        int volumes = classNames.size() - 1;
        for (int i = 0; i < h.size(); i++) {
            boolean text = i < 3 || i >= h.size() - 3;
            boolean count = i == h.size() - 4;
            f.add(DataTypes.createStructField(h.get(i), text ? DataTypes.StringType : count ? DataTypes.LongType : DataTypes.DoubleType,
                    i >= 3 && i < 3 + volumes));
        }
        return DataTypes.createStructType(f);
    }
}
