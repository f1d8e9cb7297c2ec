package org.e2enet.distributed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.io.CsvTable;
import org.e2enet.runtime.CaseFiles;

/**
 * The cases of a cohort: a directory of nnU-Net named images ({@code {case}_0000.nii.gz} ...), or a manifest, CSV
 * or Parquet, with a column {@code case} and one column {@code channel_0000}, {@code channel_0001}, ... per model
 * input channel holding the file's path (any Hadoop filesystem URI). Duplicate case ids are bad input.
 */
final class CohortInput {
    /** The case id column. */
    static final String CASE = "case";
    /** What a case id may be: a file name in the output directory, never a path ("../x", "a/b") or a hidden file. */
    static final java.util.regex.Pattern CASE_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    private CohortInput() {
    }

    /** The channel column of channel {@code c}. */
    static String channelColumn(int c) {
        return String.format("channel_%04d", c);
    }

    /** The cases {@code input} names for a model of {@code channels} input channels. */
    static List<CohortCase> read(String input, int channels, SparkSession spark) {
        List<CohortCase> out;
        if (input.endsWith(".csv")) {
            out = fromCsv(StagedFiles.local(input), channels);
        } else if (input.endsWith(".parquet")) {
            out = fromParquet(input, channels, spark);
        } else {
            Path dir = StagedFiles.local(input);
            if (!Files.isDirectory(dir)) {
                throw BadInputException.of(dir, "neither a directory of images nor a .csv or .parquet manifest");
            }
            out = new ArrayList<>();
            for (CaseFiles c : CaseFiles.find(dir, channels)) {
                out.add(new CohortCase(c.id(), c.channels().stream().map(p -> p.toAbsolutePath().toString()).toList()));
            }
        }
        Set<String> ids = new LinkedHashSet<>();
        for (int r = 0; r < out.size(); r++) {
            CohortCase c = out.get(r);
            if (!CASE_NAME.matcher(c.id()).matches()) {
                throw new BadInputException(input + ": case " + (r + 1) + ", '" + c.id() + "', is not a case name (letters, digits, '.', "
                        + "'_' and '-', starting with a letter or digit, at most 200): the output {case}.nii.gz must stay in the output directory");
            }
            if (!ids.add(c.id())) {
                throw new BadInputException(input + ": case '" + c.id() + "' appears twice");
            }
        }
        if (out.isEmpty()) {
            throw new BadInputException(input + ": no cases");
        }
        return out;
    }

    private static List<CohortCase> fromCsv(Path file, int channels) {
        CsvTable t = CsvTable.read(file);
        requireColumns(file.toString(), t.header(), channels);
        List<CohortCase> out = new ArrayList<>();
        for (int r = 0; r < t.rows().size(); r++) {
            List<String> paths = new ArrayList<>();
            for (int c = 0; c < channels; c++) {
                paths.add(resolve(file, t.get(r, channelColumn(c))));
            }
            out.add(new CohortCase(t.get(r, CASE), paths));
        }
        return out;
    }

    /** A manifest's path: relative ones are relative to the manifest's directory. */
    private static String resolve(Path manifest, String path) {
        if (!StagedFiles.isLocal(path) || Path.of(path).isAbsolute()) {
            return path;
        }
        return manifest.toAbsolutePath().getParent().resolve(path).toString();
    }

    private static List<CohortCase> fromParquet(String input, int channels, SparkSession spark) {
        org.apache.spark.sql.Dataset<Row> d;
        try {
            d = spark.read().parquet(input);
        } catch (RuntimeException e) {
            throw new BadInputException(input + ": cannot read the Parquet manifest (" + String.valueOf(e.getMessage()).lines().findFirst()
                    .orElse("") + ")");
        }
        requireColumns(input, List.of(d.columns()), channels);
        List<CohortCase> out = new ArrayList<>();
        for (Row r : d.collectAsList()) {
            List<String> paths = new ArrayList<>();
            for (int c = 0; c < channels; c++) {
                paths.add(r.getAs(channelColumn(c)));
            }
            out.add(new CohortCase(r.getAs(CASE), paths));
        }
        return out;
    }

    private static void requireColumns(String source, List<String> header, int channels) {
        List<String> need = new ArrayList<>(List.of(CASE));
        for (int c = 0; c < channels; c++) {
            need.add(channelColumn(c));
        }
        for (String n : need) {
            if (!header.contains(n)) {
                throw new BadInputException(source + ": the manifest has no column '" + n + "' (columns " + need + " for a model of "
                        + channels + " channel(s))");
            }
        }
    }
}
