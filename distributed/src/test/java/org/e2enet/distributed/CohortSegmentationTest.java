package org.e2enet.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.e2enet.core.io.CsvTable;
import org.e2enet.core.nifti.NiftiReader;
import org.e2enet.core.onnx.ExportReport;
import org.e2enet.core.preprocess.ChannelNormalization;
import org.e2enet.core.preprocess.NormalizationScheme;
import org.e2enet.core.preprocess.Plans;
import org.e2enet.core.spec.DsffSettings;
import org.e2enet.core.spec.Granularity;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.synth.SyntheticDataset;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.volume.Volume;
import org.e2enet.exporter.ExportOptions;
import org.e2enet.exporter.ModelExport;
import org.e2enet.exporter.RandomBundles;
import org.e2enet.runtime.Backend;
import org.e2enet.runtime.CaseFiles;
import org.e2enet.runtime.CasePrediction;
import org.e2enet.runtime.Segmenter;
import org.e2enet.runtime.SegmenterOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The Spark job in local[2] mode against the runtime run directly. */
class CohortSegmentationTest {
    @TempDir
    static Path dir;
    static SparkSession spark;
    static Path model;
    static Path images;

    @BeforeAll
    static void fixtures() throws Exception {
        spark = SparkSession.builder().master("local[2]").appName("test").config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2").getOrCreate();
        ModelSpec spec = new ModelSpec(1, 3, 4, 16, new int[][] {{2, 2, 2}, {2, 2, 2}}, 3, new int[] {16, 32, 32}, 0.6, Granularity.CHANNEL,
                DsffSettings.PAPER);
        Plans plans = new Plans(Plans.FORMAT, "test", List.of("CT"), List.of("background", "organ", "vessel"), new double[] {1, 1, 1},
                new double[] {1, 1, 1}, new double[] {1, 1, 1}, new int[] {1, 1, 1}, true, 3, 3, 1, 0,
                List.of(new ChannelNormalization(NormalizationScheme.CT, false, 50, 100, -200, 400)));
        Path bundle = RandomBundles.write(spec, plans, dir, 4);
        model = dir.resolve("model.onnx");
        ModelExport.run(bundle, model, ExportOptions.PRUNED, ExportReport.besideModel(model));
        Path data = dir.resolve("phantoms");
        SyntheticDataset.of(8, new Shape3(20, 40, 40)).seed(3).structures(2).write(data);
        images = data.resolve("imagesTr");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static int run(String... args) {
        CommandLine cl = SparkSegmentCommand.commandLine();
        cl.setOut(new PrintWriter(new ByteArrayOutputStream(), true));
        return cl.execute(args);
    }

    static JobSettings settings(Path out) {
        return new JobSettings(model.toString(), org.e2enet.core.io.Sha256.of(model), org.e2enet.runtime.Backend.ORT_CPU, 2, out.toString(),
                List.of("background", "organ", "vessel"));
    }

    @Test
    void directoryAndManifestsGiveVoxelForVoxelWhatPredictGives() throws Exception {
        Path byDir = dir.resolve("by-dir");
        CohortSegmentation.Summary s = CohortSegmentation.run(spark, settings(byDir), CohortInput.read(images.toString(), 1, spark), 2);
        assertEquals(8, s.count(CaseOutcome.Status.DONE), s.rows().toString());
        Path direct = dir.resolve("direct");
        CasePrediction.prepareOutput(direct);
        try (Segmenter seg = Segmenter.open(model, Backend.ORT_CPU, 2, SegmenterOptions.defaults())) {
            for (CaseFiles c : CaseFiles.find(images, 1)) {
                CasePrediction.run(seg, c, direct, false);
            }
        }
        // the same cohort from a CSV manifest (relative paths) and from a Parquet one
        List<List<String>> rows = new ArrayList<>();
        List<Row> parquetRows = new ArrayList<>();
        for (CaseFiles c : CaseFiles.find(images, 1)) {
            rows.add(List.of(c.id(), "phantoms/imagesTr/" + c.channels().get(0).getFileName()));
            parquetRows.add(RowFactory.create(c.id(), c.channels().get(0).toString()));
        }
        Path csv = dir.resolve("manifest.csv");
        new CsvTable(List.of("case", "channel_0000"), rows).write(csv);
        Path parquet = dir.resolve("manifest.parquet");
        spark.createDataFrame(parquetRows, DataTypes.createStructType(List.of(DataTypes.createStructField("case", DataTypes.StringType, false),
                DataTypes.createStructField("channel_0000", DataTypes.StringType, false)))).write().parquet(parquet.toString());
        Path byCsv = dir.resolve("by-csv");
        Path byParquet = dir.resolve("by-parquet");
        assertEquals(0, run("segment", "--onnx", model.toString(), "--input", csv.toString(), "--output", byCsv.toString(), "--threads", "2"));
        assertEquals(0, run("segment", "--onnx", model.toString(), "--input", parquet.toString(), "--output", byParquet.toString(),
                "--threads", "2", "--partitions", "3"));
        for (CaseFiles c : CaseFiles.find(images, 1)) {
            byte[] expected = labels(direct.resolve(c.id() + ".nii.gz"));
            for (Path out : List.of(byDir, byCsv, byParquet)) {
                assertArrayEquals(expected, labels(out.resolve(c.id() + ".nii.gz")), c.id() + " in " + out);
            }
        }
        CsvTable table = CsvTable.read(byDir.resolve(CohortTable.CSV));
        assertEquals(CohortTable.header(List.of("background", "organ", "vessel")), table.header());
        assertEquals(8, table.rows().size());
        Volume v = NiftiReader.read(direct.resolve(table.get(0, "case") + ".nii.gz"));
        long organ = 0;
        for (int i = 0; i < v.shape().voxelsInt(); i++) {
            organ += v.value(0, i) == 1 ? 1 : 0;
        }
        assertEquals(organ * v.spacing().voxelVolume() / 1000, Double.parseDouble(table.get(0, "volume_ml_organ")), 1e-3);
        assertEquals(8, spark.read().parquet(byDir.resolve(CohortTable.PARQUET).toString()).count());
        assertEquals(1, ExecutorSegmenters.opened(), "one Segmenter for this JVM (the local executor) across jobs and tasks");
    }

    @Test
    void aCorruptCaseIsARowTheOthersAreWrittenAndARerunSkipsThem() throws Exception {
        Path in = dir.resolve("with-corrupt");
        Files.createDirectories(in);
        for (CaseFiles c : CaseFiles.find(images, 1).subList(0, 3)) {
            Files.copy(c.channels().get(0), in.resolve(c.channels().get(0).getFileName()));
        }
        Files.write(in.resolve("broken_0000.nii.gz"), new byte[] {0x1f, (byte) 0x8b, 1, 2, 3});
        Path out = dir.resolve("corrupt-out");
        assertEquals(SparkSegmentCommand.CASE_FAILED, run("segment", "--onnx", model.toString(), "--input", in.toString(), "--output",
                out.toString(), "--threads", "2"));
        CsvTable t = CsvTable.read(out.resolve(CohortTable.CSV));
        Map<String, String> status = new java.util.HashMap<>();
        Map<String, String> error = new java.util.HashMap<>();
        Map<String, String> organMl = new java.util.HashMap<>();
        for (int r = 0; r < t.rows().size(); r++) {
            status.put(t.get(r, "case"), t.get(r, "status"));
            error.put(t.get(r, "case"), t.get(r, "error"));
            organMl.put(t.get(r, "case"), t.get(r, "volume_ml_organ"));
        }
        assertEquals("failed", status.get("broken"));
        assertTrue(error.get("broken").contains("broken_0000.nii.gz"), error.get("broken"));
        assertEquals(3, status.values().stream().filter("done"::equals).count());
        assertTrue(Files.exists(out.resolve("phantom_000.nii.gz")));
        // resubmitted: the three are skipped (with their volumes), the broken one fails again
        long before = Files.getLastModifiedTime(out.resolve("phantom_000.nii.gz")).toMillis();
        assertEquals(SparkSegmentCommand.CASE_FAILED, run("segment", "--onnx", model.toString(), "--input", in.toString(), "--output",
                out.toString(), "--threads", "2"));
        CsvTable again = CsvTable.read(out.resolve(CohortTable.CSV));
        int skipped = 0;
        for (int r = 0; r < again.rows().size(); r++) {
            String id = again.get(r, "case");
            if (!id.equals("broken")) {
                assertEquals("skipped", again.get(r, "status"));
                // a skipped case's volumes are measured again from its existing output: the first run's figures
                assertEquals(Double.parseDouble(organMl.get(id)), Double.parseDouble(again.get(r, "volume_ml_organ")), 1e-9, id);
                skipped++;
            }
        }
        assertEquals(3, skipped);
        assertEquals(before, Files.getLastModifiedTime(out.resolve("phantom_000.nii.gz")).toMillis(), "not rewritten");
        assertEquals(SparkSegmentCommand.BAD_INPUT, run("segment", "--onnx", model.toString(), "--input", dir.resolve("nothing").toString(),
                "--output", out.toString()));
    }

    static byte[] labels(Path file) {
        Volume v = NiftiReader.read(file);
        byte[] b = new byte[v.shape().voxelsInt()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) v.value(0, i);
        }
        return b;
    }
}
