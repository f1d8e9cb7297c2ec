package org.e2enet.core.io;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A CSV file with a header row (jackson-dataformat-csv): the tables the project writes ({@code progress.csv},
 * {@code evaluation.csv}) and reads back. Values are strings; callers format numbers as they want them shown.
 *
 * @param header the column names
 * @param rows the rows, each as long as the header
 */
public record CsvTable(List<String> header, List<List<String>> rows) {
    private static final CsvMapper CSV = new CsvMapper();

    /** Copies; every row must be as long as the header. */
    public CsvTable {
        header = List.copyOf(header);
        rows = rows.stream().map(List::copyOf).toList();
        for (List<String> r : rows) {
            if (r.size() != header.size()) {
                throw new IllegalArgumentException("a row has " + r.size() + " values for " + header.size() + " columns");
            }
        }
    }

    /** Writes the table atomically. */
    public void write(Path file) throws IOException {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        header.forEach(schema::addColumn);
        String text = CSV.writer(schema.build()).writeValueAsString(rows);
        AtomicFiles.writeString(file, text);
    }

    /** Reads a table with a header row; a file that is not one is bad input naming it. */
    public static CsvTable read(Path file) {
        String text = InputFiles.readString(file);
        try (MappingIterator<Map<String, String>> it = CSV.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(text)) {
            List<String> header = new ArrayList<>();
            CsvSchema schema = (CsvSchema) it.getParserSchema();
            schema.forEach(c -> header.add(c.getName()));
            List<List<String>> rows = new ArrayList<>();
            while (it.hasNextValue()) {
                Map<String, String> row = it.nextValue();
                List<String> values = new ArrayList<>();
                for (String h : header) {
                    String v = row.get(h);
                    if (v == null) {
                        throw BadInputException.of(file, "row " + (rows.size() + 1) + " has no value for column '" + h + "'");
                    }
                    values.add(v);
                }
                rows.add(values);
            }
            return new CsvTable(header, rows);
        } catch (IOException | RuntimeException e) {
            if (e instanceof BadInputException b) {
                throw b;
            }
            throw BadInputException.of(file, "malformed CSV (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    /** The value of column {@code name} in row {@code row}. */
    public String get(int row, String name) {
        int c = header.indexOf(name);
        if (c < 0) {
            throw new IllegalArgumentException("no column '" + name + "'");
        }
        return rows.get(row).get(c);
    }
}
