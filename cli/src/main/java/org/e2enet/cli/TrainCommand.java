package org.e2enet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.e2enet.core.spec.DsffSettings;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.spec.PruneRounding;
import org.e2enet.core.spec.RegrowBy;
import org.e2enet.trainer.dsff.TopologyUpdate;
import org.e2enet.trainer.loop.EpochRecord;
import org.e2enet.trainer.loop.Trainer;
import org.e2enet.trainer.loop.TrainingConfig;
import org.e2enet.trainer.loop.TrainingDevice;
import org.e2enet.trainer.loop.TrainingListener;
import org.e2enet.trainer.nn.ConvMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code e2enet train}: trains an E2ENet with DSFF into a model bundle. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train an E2ENet with dynamic sparse feature fusion (nnU-Net recipe: SGD 0.99 Nesterov, poly lr, "
                + "Dice+CE deep supervision, foreground oversampling, augmentation) into a model bundle written after "
                + "every epoch. A raw dataset is preprocessed once into {dataset}_preprocessed.",
        footer = {"", "Examples:",
            "  e2enet synth --out data/phantoms --cases 12 --seed 1",
            "  e2enet train --dataset data/phantoms --preset tiny --out models/tiny --epochs 4 --iters-per-epoch 30",
            "  e2enet train --dataset data/phantoms --preset tiny --out models/tiny --epochs 8 --resume",
            "  e2enet train --dataset pre/ --spec my-spec.json --out models/m --sparsity 0.8 --granularity channel"})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--dataset", required = true, description = "Raw nnU-Net dataset or an 'e2enet preprocess' output.")
    Path dataset;

    @CommandLine.Mixin
    SpecOptions specOptions;

    @Option(names = "--out", required = true, description = "Model bundle directory.")
    Path out;

    @Option(names = "--static", description = "Static sparsity: masks never change.")
    boolean isStatic;

    @Option(names = "--update-frequency", description = "Iterations between DSFF topology updates (an absolute schedule, the paper's).")
    Integer updateFrequency;

    @Option(names = "--updates", description = "A schedule relative to the run instead: this many topology updates spread evenly over "
            + "the update window. Unless the spec already has one, this takes the recipe docs/dsff.md measured: the window the first "
            + "0.75 of training, at most 0.34 of a tensor's active units per update, prune counts rounded (each overridable below).")
    Integer updates;

    @Option(names = "--update-end", description = "Fraction of training after which the topology stays fixed, the death rate decaying "
            + "over that window. Default: 0.75 with --updates (RigL's), else the spec's (1).")
    Double updateEnd;

    @Option(names = "--max-prune-share", description = "Largest share of a tensor's active units one update may remove. Default: 0.34 "
            + "with --updates, else the spec's (1, no cap).")
    Double maxPruneShare;

    @Option(names = "--regrow-by", description = "random (SET, the paper's) or gradient (RigL: the largest gradient magnitude of the "
            + "current batch). Default: the spec's (random).")
    RegrowBy regrowBy;

    @Option(names = "--prune-rounding", description = "How an update's prune count dr x active becomes whole: ceil (the paper's: at "
            + "least one unit per tensor at any death rate) or round (to nearest). Default: round with --updates, else the spec's (ceil).")
    PruneRounding pruneRounding;

    @Option(names = "--epochs", defaultValue = "1000", description = "Epochs. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--iters-per-epoch", defaultValue = "250", description = "Iterations per epoch. Default: ${DEFAULT-VALUE}.")
    int iters;

    @Option(names = "--batch-size", defaultValue = "2", description = "Patches per iteration. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.01", description = "Initial learning rate. Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(names = "--fold", defaultValue = "0", description = "Validation fold 0..4. Default: ${DEFAULT-VALUE}.")
    int fold;

    @Option(names = "--seed", defaultValue = "0", description = "Seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--resume", description = "Continue the bundle in --out.")
    boolean resume;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu or gpu. Default: ${DEFAULT-VALUE}.")
    TrainingDevice device;

    @CommandLine.Mixin
    ThreadsOption threads;

    @Option(names = "--conv", defaultValue = "auto", description = "How (1,3,3) convs run: auto (the first of conv3d, "
            + "conv3d-padded that the engine check finds right on this CPU), or one of conv3d, conv3d-padded (channels zero-padded to "
            + "a multiple of 16, exact), conv2d, checked and refused in one line when wrong here. Default: ${DEFAULT-VALUE}.",
            converter = ConvModeConverter.class)
    ConvMode conv;

    @Option(names = "--no-augment", description = "Train without data augmentation.")
    boolean noAugment;

    @Option(names = "--probe-updates", description = "Print the validation pseudo-Dice right before and right after every DSFF "
            + "topology update (a diagnostic; two extra validations per update; training unchanged up to float rounding).")
    boolean probeUpdates;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec cmd;

    @Override
    public Integer call() throws Exception {
        if (threads.given()) {
            threads.applyToTrainingEngine();
        }
        ModelSpec spec = specOptions.resolve();
        DsffSettings d = spec.dsff();
        if (updateFrequency != null) {
            d = d.withUpdateFrequency(updateFrequency);
        }
        if (updates != null && d.updates() == 0) {
            d = d.withRunRelativeRecipe(updates, d.regrowBy()).withStatic(d.isStatic());  // the measured recipe replaces the absolute schedule
        }
        if (updates != null || updateEnd != null) {
            d = d.withRelativeSchedule(updates != null ? updates : d.updates(), updateEnd != null ? updateEnd : d.updateEnd());
        }
        if (maxPruneShare != null || regrowBy != null || pruneRounding != null) {
            d = d.withUpdateRule(maxPruneShare != null ? maxPruneShare : d.maxPruneShare(), regrowBy != null ? regrowBy : d.regrowBy(),
                    pruneRounding != null ? pruneRounding : d.pruneRounding());
        }
        spec = spec.withDsff(isStatic ? d.withStatic(true) : d);
        TrainingConfig config = TrainingConfig.builder().setDataset(dataset).setOut(out).setSpec(spec).optEpochs(epochs)
                .optItersPerEpoch(iters).optBatchSize(batchSize).optLearningRate(lr).optFold(fold).optSeed(seed).optResume(resume)
                .optConvMode(conv).optAugment(!noAugment).optDevice(device).optProbeUpdates(probeUpdates).build();
        PrintWriter o = cmd.commandLine().getOut();
        Trainer trainer = new Trainer(config, new ConsoleListener(o));
        EpochRecord last = trainer.run(new ConsoleProgress());
        o.printf(Locale.ROOT, "done: %s (final train loss %.4f, validation pseudo-Dice %.4f); %s%n", out, last.trainLoss(),
                last.meanPseudoDice(), trainer.times());
        o.flush();
        return 0;
    }

    /** Renders training progress: a bar per epoch with loss and ETA, one line per epoch and topology update. */
    private static final class ConsoleListener implements TrainingListener {
        private final PrintWriter out;
        private ProgressBar bar;
        private double lossSum;
        private int count;

        ConsoleListener(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void message(String text) {
            out.println(text);
            out.flush();
        }

        @Override
        public void epochStarted(int epoch, int epochs, int iterations) {
            lossSum = 0;
            count = 0;
            bar = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, epochs))
                    .setInitialMax(iterations).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).build();
            ConsoleProgress.lineOpen(true);
        }

        @Override
        public void iterationDone(int iteration, double loss) {
            lossSum += loss;
            count++;
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", lossSum / count));
            bar.step();
        }

        @Override
        public void epochDone(EpochRecord r) {
            bar.close();
            ConsoleProgress.lineOpen(false);
            StringBuilder dice = new StringBuilder();
            for (double d : r.pseudoDice()) {
                dice.append(String.format(Locale.ROOT, " %.3f", d));
            }
            out.printf(Locale.ROOT, "epoch %d: train loss %.4f, val loss %.4f, pseudo-Dice%s, lr %.5f, %.1f s%n", r.epoch(),
                    r.trainLoss(), r.validationLoss(), dice, r.learningRate(), r.seconds());
            out.flush();
        }

        @Override
        public void topologyUpdated(long iteration, double deathRate, List<TopologyUpdate> updates) {
            int pruned = updates.stream().mapToInt(TopologyUpdate::pruned).sum();
            int fresh = updates.stream().mapToInt(TopologyUpdate::regrownNew).sum();
            out.printf(Locale.ROOT, "DSFF update at iteration %d (death rate %.3f): %d units pruned and regrown in %d tensors, "
                    + "%d of the regrown are new%n", iteration, deathRate, pruned, updates.size(), fresh);
            for (TopologyUpdate u : updates) {
                out.printf(Locale.ROOT, "  %-36s active %5d  pruned %4d  regrown %4d (%d new)%n", u.weight(), u.active(), u.pruned(),
                        u.regrown(), u.regrownNew());
            }
            out.flush();
        }

        @Override
        public void updateProbed(long iteration, double[] diceBefore, double[] diceAfter) {
            out.printf(Locale.ROOT, "DSFF probe at iteration %d: validation pseudo-Dice right before %.3f, right after %.3f (mean over "
                    + "the classes)%n", iteration, mean(diceBefore), mean(diceAfter));
            out.flush();
        }

        private static double mean(double[] v) {
            return java.util.Arrays.stream(v).average().orElse(0);
        }
    }
}
