package org.e2enet.trainer.loop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.io.CsvTable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

/** The training curves: progress.csv (one row per epoch) and progress.png (losses and pseudo-Dice, like nnU-Net's plot). */
public final class ProgressLog {
    /** CSV file name. */
    public static final String CSV = "progress.csv";
    /** Plot file name. */
    public static final String PNG = "progress.png";
    private final List<EpochRecord> rows = new ArrayList<>();
    private final int classes;

    /** @param foregroundClasses number of pseudo-Dice columns */
    public ProgressLog(int foregroundClasses) {
        this.classes = foregroundClasses;
    }

    /** Adds an epoch. */
    public void add(EpochRecord r) {
        rows.add(r);
    }

    /** The rows. */
    public List<EpochRecord> rows() {
        return rows;
    }

    /** Reads a progress.csv written by {@link #writeCsv} (for resume). */
    public static ProgressLog read(Path file, int foregroundClasses) {
        ProgressLog log = new ProgressLog(foregroundClasses);
        if (!Files.exists(file)) {
            return log;
        }
        CsvTable t = CsvTable.read(file);
        try {
            for (int r = 0; r < t.rows().size(); r++) {
                double[] dice = new double[foregroundClasses];
                for (int c = 0; c < foregroundClasses; c++) {
                    dice[c] = Double.parseDouble(t.get(r, "pseudo_dice_" + (c + 1)));
                }
                log.add(new EpochRecord(Integer.parseInt(t.get(r, "epoch")), Double.parseDouble(t.get(r, "train_loss")),
                        Double.parseDouble(t.get(r, "val_loss")), dice, Double.parseDouble(t.get(r, "lr")),
                        Double.parseDouble(t.get(r, "death_rate")), Double.parseDouble(t.get(r, "seconds"))));
            }
        } catch (RuntimeException e) {
            throw BadInputException.of(file, "malformed progress log (" + e.getMessage() + ")");
        }
        return log;
    }

    /** Writes progress.csv into {@code dir}. */
    public void writeCsv(Path dir) throws IOException {
        List<String> header = new ArrayList<>(List.of("epoch", "train_loss", "val_loss"));
        for (int c = 1; c <= classes; c++) {
            header.add("pseudo_dice_" + c);
        }
        header.addAll(List.of("lr", "death_rate", "seconds"));
        List<List<String>> table = new ArrayList<>();
        for (EpochRecord r : rows) {
            List<String> row = new ArrayList<>(List.of(String.valueOf(r.epoch()), f("%.6f", r.trainLoss()), f("%.6f", r.validationLoss())));
            for (double d : r.pseudoDice()) {
                row.add(f("%.6f", d));
            }
            row.addAll(List.of(f("%.8f", r.learningRate()), f("%.6f", r.deathRate()), f("%.3f", r.seconds())));
            table.add(row);
        }
        new CsvTable(header, table).write(dir.resolve(CSV));
    }

    private static String f(String format, double v) {
        return String.format(Locale.ROOT, format, v);
    }

    /** Writes progress.png into {@code dir}: losses on the left axis, pseudo-Dice on the right. */
    public void writePlot(Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(450).title("training progress").xAxisTitle("epoch")
                .yAxisTitle("loss").build();
        double[] x = rows.stream().mapToDouble(EpochRecord::epoch).toArray();
        if (x.length == 0) {
            return;
        }
        chart.addSeries("train loss", x, rows.stream().mapToDouble(EpochRecord::trainLoss).toArray());
        chart.addSeries("validation loss", x, rows.stream().mapToDouble(EpochRecord::validationLoss).toArray());
        XYSeries dice = chart.addSeries("pseudo-Dice (mean)", x, rows.stream().mapToDouble(EpochRecord::meanPseudoDice).toArray());
        dice.setYAxisGroup(1);
        chart.setYAxisGroupTitle(1, "pseudo-Dice");
        BitmapEncoder.saveBitmap(chart, dir.resolve(PNG).toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
