package org.e2enet.trainer.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.e2enet.core.bundle.BundleManifest;
import org.e2enet.core.bundle.GoldenFixtures;
import org.e2enet.core.bundle.ModelBundle;
import org.e2enet.core.bundle.TrainingState;
import org.e2enet.core.check.EngineCheckReport;
import org.e2enet.core.check.NetworkOps;
import org.e2enet.core.io.AtomicFiles;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.metrics.ConfusionCounts;
import org.e2enet.core.progress.ProgressListener;
import org.e2enet.core.safetensors.SafeTensors;
import org.e2enet.core.safetensors.Tensor;
import org.e2enet.core.spec.Accounting;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.spec.RegrowBy;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.window.WindowedPrediction;
import org.e2enet.trainer.RandomDraws;
import org.e2enet.trainer.check.TrainingEngineCheck;
import org.e2enet.trainer.data.Augmenter;
import org.e2enet.trainer.data.Batch;
import org.e2enet.trainer.data.BatchSource;
import org.e2enet.trainer.data.PatchSampler;
import org.e2enet.trainer.data.PreprocessedData;
import org.e2enet.trainer.data.TrainingCase;
import org.e2enet.trainer.dsff.Dsff;
import org.e2enet.trainer.dsff.TopologyUpdate;
import org.e2enet.trainer.nn.ConvMode;
import org.e2enet.trainer.nn.DeviceConstants;
import org.e2enet.trainer.nn.E2ENetModel;
import org.e2enet.trainer.nn.ModelParameters;
import org.e2enet.trainer.nn.WindowNetwork;
import org.e2enet.trainer.optim.NesterovSgd;

/**
 * The training loop: nnU-Net's recipe with DSFF, a model bundle written atomically after every epoch, and
 * exact resume (batches, DSFF updates and augmentation are functions of the seed and the iteration; the
 * bundle keeps weights, masks and momentum).
 */
public final class Trainer {
    /** Validation volumes whose whole-volume segmentation the bundle keeps for parity. */
    public static final int GOLDEN_VOLUMES = 2;
    private final TrainingConfig config;
    private final TrainingListener listener;
    private final StepTimes times = new StepTimes();
    /** For a run on the GPU: the convolution mode the CPU computes the golden fixtures in, or null to compute them on the GPU. */
    private ConvMode goldenOnCpu;

    /** @param config the run; @param listener progress receiver */
    public Trainer(TrainingConfig config, TrainingListener listener) {
        this.config = config;
        this.listener = listener;
    }

    /** Timing of the iterations run so far. */
    public StepTimes times() {
        return times;
    }

    /** Trains; returns the final epoch's record. */
    public EpochRecord run(ProgressListener dataProgress) throws IOException, InterruptedException {
        AtomicFiles.requireWritable(config.out());
        PreprocessedData data = PreprocessedData.load(PreprocessedData.ensurePreprocessed(config.dataset(), dataProgress), dataProgress);
        ModelSpec spec = config.spec();
        if (spec.inputChannels() != data.descriptor().channels() || spec.numClasses() != data.descriptor().classes()) {
            spec = spec.withIo(data.descriptor().channels(), data.descriptor().classes());
            listener.message(String.format(Locale.ROOT, "using the dataset's %d input channel(s) and %d classes", spec.inputChannels(),
                    spec.numClasses()));
        }
        List<TrainingCase>[] split = split(data.cases(), config.fold(), listener);
        Shape3 patch = Shape3.of(spec.patchSize());
        ai.djl.Device device = device();
        TrainingEngineCheck.Choice engine = TrainingEngineCheck.choose(spec, config.convMode(), device);
        listener.message("engine check: " + engine.chosen().summary() + (config.convMode() == ConvMode.AUTO
                ? "; convolutions run as " + engine.mode().label() : ""));
        if (config.device() != TrainingDevice.CPU) {
            goldenOnCpu = goldenModeOnCpu(spec);
        }
        try (NDManager base = NDManager.newBaseManager(device); DeviceConstants constants = new DeviceConstants(base)) {
            State state = config.resume() ? resume(spec, base, constants) : fresh(spec, base, constants);
            try {
                return loop(spec, data, split[0], split[1], patch, base, constants, state, engine.mode());
            } catch (TrainingDivergedException e) {
                throw new TrainingDivergedException(e.loss(), divergenceCause(spec, engine.mode(), device));
            } finally {
                state.close();
            }
        }
    }

    /**
     * Why training diverged, from the engine check run again: the engine computing wrong numbers here (it
     * passed before training: its defects can come and go), or the optimisation.
     */
    static String divergenceCause(ModelSpec spec, ConvMode mode, ai.djl.Device device) {
        EngineCheckReport again;
        try {
            again = TrainingEngineCheck.run(NetworkOps.of(spec), mode, device);
        } catch (RuntimeException e) {
            return "the engine check could not run again to tell the engine from the optimisation (" + e.getMessage() + ")";
        }
        if (!again.passed()) {
            return "the engine, not the optimisation: " + again.summary() + " on this CPU (" + TrainingEngineCheck.cpu() + ")";
        }
        return "the engine check passes again (max relative error " + String.format(Locale.ROOT, "%.1e", again.maxRelError())
                + "), so the optimisation diverged: try a lower learning rate (--lr) and check the data for extreme intensities";
    }

    private ai.djl.Device device() {
        if (config.device() == TrainingDevice.CPU) {
            return ai.djl.Device.cpu();
        }
        int gpus = ai.djl.engine.Engine.getInstance().getGpuCount();
        if (gpus == 0) {
            throw new BadInputException("--device gpu: the PyTorch engine sees no GPU (a CPU build, or no CUDA driver); "
                    + "build with 'mvn install -Pcuda' (libtorch 2.5.1 for CUDA 12.4) on a machine with an NVIDIA driver for CUDA 12.4 or newer");
        }
        return ai.djl.Device.gpu();
    }

    /** Model, masks, optimizer and counters of a run. */
    private record State(ModelParameters params, Dsff dsff, NesterovSgd optimizer, int startEpoch, ProgressLog log) {
        void close() {
            optimizer.close();
            if (dsff != null) {
                dsff.close();
            }
            params.close();
        }
    }

    private State fresh(ModelSpec spec, NDManager base, DeviceConstants constants) {
        if (Files.exists(config.out())) {
            throw BadInputException.of(config.out(), "already exists; pass --resume to continue it or choose another --out");
        }
        ModelParameters params = ModelParameters.initialise(spec, base, config.seed());
        Dsff dsff = Dsff.isSparse(spec) ? Dsff.initialise(spec, base, new SplittableRandom(config.seed() * 31 + 7)) : null;
        NesterovSgd opt = new NesterovSgd(config.momentum(), config.weightDecay(), config.clipNorm(), constants, base);
        if (dsff != null) {
            dsff.apply(params.all(), List.of());
        }
        return new State(params, dsff, opt, 0, new ProgressLog(spec.numClasses() - 1));
    }

    private State resume(ModelSpec spec, NDManager base, DeviceConstants constants) {
        ModelBundle b = ModelBundle.read(config.out());
        if (!b.spec().equals(spec)) {
            throw BadInputException.of(config.out().resolve(ModelBundle.MANIFEST), "was trained with another spec; resume needs the same one");
        }
        if (b.optimizer() == null || b.manifest().training() == null) {
            throw BadInputException.of(config.out(), "has no optimizer state to resume from");
        }
        Path manifest = config.out().resolve(ModelBundle.MANIFEST);
        TrainingState ts = b.manifest().training();
        int epoch = ts.epochsDone();
        ProgressLog log = ProgressLog.read(config.out().resolve(ProgressLog.CSV), spec.numClasses() - 1);
        if (epoch < 1 || epoch != log.rows().size() || ts.iteration() != (long) epoch * ts.itersPerEpoch()) {
            throw BadInputException.of(manifest, "training.epochsDone is " + epoch + " but the bundle holds " + log.rows().size()
                    + " epoch(s) of progress and training.iteration is " + ts.iteration() + ": the training state does not match its files");
        }
        if (ts.itersPerEpoch() != config.itersPerEpoch() || ts.batchSize() != config.batchSize() || ts.seed() != config.seed()) {
            throw BadInputException.of(manifest, "was trained with " + ts.itersPerEpoch() + " iterations per epoch, batch " + ts.batchSize()
                    + " and seed " + ts.seed() + "; resume with the same --iters-per-epoch, --batch-size and --seed");
        }
        if (epoch > config.epochs()) {
            throw BadInputException.of(manifest, "already holds " + epoch + " epochs, more than --epochs " + config.epochs());
        }
        ModelParameters params = ModelParameters.fromTensors(spec, b.weights(), base);
        Dsff dsff = Dsff.isSparse(spec) ? Dsff.fromTensors(spec, b.masks(), base) : null;
        NesterovSgd opt = new NesterovSgd(config.momentum(), config.weightDecay(), config.clipNorm(), constants, base);
        for (Tensor t : b.optimizer().tensors().values()) {
            String name = t.name().substring("momentum.".length());
            opt.setBuffer(name, t.floats(), new Shape(t.shape()));
        }
        listener.message("resuming " + config.out() + " after epoch " + epoch);
        return new State(params, dsff, opt, epoch, log);
    }

    @SuppressWarnings("unchecked")
    static List<TrainingCase>[] split(List<TrainingCase> cases, int fold, TrainingListener listener) {
        if (cases.size() < 2) {
            listener.message("only one case: it is used for training and validation alike");
            return new List[] {cases, cases};
        }
        List<TrainingCase> shuffled = new ArrayList<>(cases);
        SplittableRandom rng = new SplittableRandom(12345);
        for (int i = shuffled.size() - 1; i > 0; i--) {
            int j = RandomDraws.below(rng, i + 1);
            TrainingCase t = shuffled.get(i);
            shuffled.set(i, shuffled.get(j));
            shuffled.set(j, t);
        }
        List<TrainingCase> train = new ArrayList<>();
        List<TrainingCase> val = new ArrayList<>();
        int folds = Math.min(5, shuffled.size());
        for (int i = 0; i < shuffled.size(); i++) {
            (i % folds == fold % folds ? val : train).add(shuffled.get(i));
        }
        return new List[] {train, val};
    }

    private EpochRecord loop(ModelSpec spec, PreprocessedData data, List<TrainingCase> train, List<TrainingCase> val, Shape3 patch,
                             NDManager base, DeviceConstants constants, State st, ConvMode convMode) throws IOException, InterruptedException {
        E2ENetModel model = new E2ENetModel(spec, st.params(), convMode, constants);
        DeepSupervisionLoss lossFn = new DeepSupervisionLoss(spec, constants);
        TrainingStep step = new TrainingStep(model, lossFn, st.optimizer(), st.dsff(), base, times);
        TrainingConfig run = config;
        long first = (long) st.startEpoch() * config.itersPerEpoch();
        EpochRecord last = st.log().rows().isEmpty() ? null : st.log().rows().get(st.log().rows().size() - 1);
        PatchSampler valSampler = new PatchSampler(val, patch);
        try (BatchSource batches = new BatchSource(new PatchSampler(train, patch), new Augmenter(config.augment()),
                config.batchSize(), config.seed(), first, config.totalIterations())) {
            for (int epoch = st.startEpoch(); epoch < run.epochs(); epoch++) {
                long t0 = System.nanoTime();
                double lr = run.learningRateAt(epoch);
                double lossSum = 0;
                double dr = spec.dsff().deathRateAfter((long) (epoch + 1) * config.itersPerEpoch(), run.totalIterations());
                listener.epochStarted(epoch, run.epochs(), config.itersPerEpoch());
                for (int it = 0; it < config.itersPerEpoch(); it++) {
                    long t = (long) epoch * config.itersPerEpoch() + it;
                    long w0 = System.nanoTime();
                    Batch batch = batches.next();
                    double loss = step.run(batch, lr, System.nanoTime() - w0);
                    lossSum += loss;
                    if (st.dsff() != null && spec.dsff().updatesAfter(t + 1, run.totalIterations())) {
                        double rate = spec.dsff().deathRateAfter(t + 1, run.totalIterations());
                        double[] before = config.probeUpdates() ? validate(model, lossFn, valSampler, base, epoch) : null;
                        List<TopologyUpdate> log = st.dsff().update(rate, st.params().all(), st.optimizer().buffers(),
                                spec.dsff().regrowBy() == RegrowBy.GRADIENT ? st.dsff().gradients(st.params().all()) : null,
                                new SplittableRandom(config.seed() * 1_000_003L + t));
                        listener.topologyUpdated(t + 1, rate, log);
                        if (before != null) {
                            double[] after = validate(model, lossFn, valSampler, base, epoch);
                            listener.updateProbed(t + 1, java.util.Arrays.copyOfRange(before, 1, before.length),
                                    java.util.Arrays.copyOfRange(after, 1, after.length));
                        }
                    }
                    listener.iterationDone(it, loss);
                }
                double[] val2 = validate(model, lossFn, valSampler, base, epoch);
                double[] dice = java.util.Arrays.copyOfRange(val2, 1, val2.length);
                last = new EpochRecord(epoch, lossSum / config.itersPerEpoch(), val2[0], dice, lr, dr, (System.nanoTime() - t0) / 1e9);
                st.log().add(last);
                if (epoch == 0) {
                    run = replanned(run, spec, last);
                }
                boolean stop = epoch < run.epochs() - 1 && listener.stopAfter(last);
                boolean end = epoch == run.epochs() - 1 || stop;
                writeBundle(run, spec, data, st, epoch + 1, end ? golden(spec, st, model, valSampler, val, patch, base) : null);
                listener.epochDone(last);
                if (stop) {
                    listener.message("stopped after epoch " + (epoch + 1) + " of " + run.epochs() + ": the time budget is spent");
                    break;
                }
            }
        }
        return last;
    }

    /**
     * The run after its first epoch: as many epochs as the listener plans ({@link TrainingListener#plannedEpochs}), when
     * fewer and no topology update of either schedule fell in the first epoch (an update already made, or one the shorter
     * schedule would have made, cannot be re-timed); otherwise {@code run} unchanged.
     */
    private TrainingConfig replanned(TrainingConfig run, ModelSpec spec, EpochRecord first) {
        int planned = listener.plannedEpochs(first, run.epochs());
        if (planned < 1 || planned >= run.epochs()) {
            return run;
        }
        TrainingConfig shorter = run.withEpochs(planned);
        for (long done = 1; done <= run.itersPerEpoch(); done++) {
            if (spec.dsff().updatesAfter(done, run.totalIterations()) || spec.dsff().updatesAfter(done, shorter.totalIterations())) {
                listener.message("keeping " + run.epochs() + " epochs: a topology update already fell in the first epoch");
                return run;
            }
        }
        listener.message("planned " + planned + " of " + run.epochs() + " epochs; the learning-rate and DSFF schedules span "
                + planned);
        return shorter;
    }

    /** Validation loss and per-class pseudo-Dice on validation patches (no augmentation). */
    private double[] validate(E2ENetModel model, DeepSupervisionLoss lossFn, PatchSampler sampler, NDManager base, int epoch) {
        int k = model.spec().numClasses();
        ConfusionCounts counts = new ConfusionCounts(k);
        double loss = 0;
        for (int v = 0; v < config.validationIters(); v++) {
            SplittableRandom rng = BatchSource.rngFor(config.seed() + 99991, v);
            try (NDManager im = base.newSubManager()) {
                NDArray[] xy = batchArrays(sampler, rng, im);
                NDList heads = model.forwardAllHeads(xy[0]);
                loss += lossFn.compute(heads, xy[1]).getFloat();
                float[] pred = heads.get(0).argMax(1).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
                float[] ref = xy[1].toFloatArray();
                for (int i = 0; i < pred.length; i++) {
                    counts.add((int) ref[i], (int) pred[i]);
                }
            }
        }
        double[] out = new double[k];
        out[0] = loss / config.validationIters();
        for (int c = 1; c < k; c++) {
            out[c] = counts.dice(c);
        }
        return out;
    }

    private NDArray[] batchArrays(PatchSampler sampler, SplittableRandom rng, NDManager im) {
        Batch b = new BatchSource.Assembler(sampler, new Augmenter(false), config.batchSize()).make(rng);
        long[] s = b.shape();
        return new NDArray[] {im.create(b.images(), new Shape(s)), im.create(b.labels(), new Shape(s[0], s[2], s[3], s[4]))};
    }

    /**
     * Parity fixtures: validation patches and the model's eval-mode head-0 logits on them, and the model's
     * sliding-window segmentation ({@code golden.seg.{case}}, on the preprocessed grid) of up to
     * {@value #GOLDEN_VOLUMES} validation volumes, which {@code e2enet parity --dataset} compares with the runtime's.
     * Always in FP32: a run on the GPU computes them on the CPU.
     */
    private GoldenFixtures golden(ModelSpec spec, State st, E2ENetModel model, PatchSampler sampler, List<TrainingCase> val, Shape3 patch,
                                  NDManager base) {
        if (goldenOnCpu == null) {
            return golden(model, sampler, val, patch, base);
        }
        try (NDManager cpu = NDManager.newBaseManager(ai.djl.Device.cpu());
             ModelParameters copy = ModelParameters.fromTensors(spec, st.params().toTensors(), cpu)) {
            return golden(new E2ENetModel(spec, copy, goldenOnCpu), sampler, val, patch, cpu);
        }
    }

    /**
     * Where a GPU run computes its golden fixtures. cuDNN may compute a GPU's convolutions in TF32 (Ampere and newer),
     * which parity's FP32 limits cannot hold, so they are computed in true FP32 on the CPU, from a copy of the weights,
     * in the convolution mode the CPU's own engine check chooses, checked here at the start; when no mode is right on
     * this CPU they are computed on the GPU, and the run says so.
     */
    private ConvMode goldenModeOnCpu(ModelSpec spec) {
        try {
            return TrainingEngineCheck.choose(spec, ConvMode.AUTO, ai.djl.Device.cpu()).mode();
        } catch (RuntimeException e) {
            listener.message("golden fixtures will be computed on the GPU (TF32 may loosen them; run with NVIDIA_TF32_OVERRIDE=0 for FP32): "
                    + "the CPU's engine check fails (" + e.getMessage() + ")");
            return null;
        }
    }

    private GoldenFixtures golden(E2ENetModel model, PatchSampler sampler, List<TrainingCase> val, Shape3 patch, NDManager base) {
        WindowNetwork net = new WindowNetwork(model, base);
        Map<String, GoldenFixtures.CaseLabels> segmentations = new java.util.TreeMap<>();
        if (config.goldenPatches() > 0) {
            for (TrainingCase c : val.subList(0, Math.min(GOLDEN_VOLUMES, val.size()))) {
                segmentations.put(c.id(), new GoldenFixtures.CaseLabels(c.shape(),
                        WindowedPrediction.referenceLabels(net, c.channels(), c.shape(), patch)));
            }
        }
        List<GoldenFixtures.Patch> patches = new ArrayList<>();
        for (int g = 0; g < config.goldenPatches(); g++) {
            Batch b = new BatchSource.Assembler(sampler, new Augmenter(false), 1).make(BatchSource.rngFor(config.seed() + 424242, g));
            long[] s = b.shape();
            patches.add(GoldenFixtures.patch(s, b.images(), new long[] {s[0], net.classes(), s[2], s[3], s[4]}, net.run(b.images(), s)));
        }
        return GoldenFixtures.of(patches, segmentations);
    }

    private void writeBundle(TrainingConfig run, ModelSpec spec, PreprocessedData data, State st, int epochsDone, GoldenFixtures golden)
            throws IOException {
        Accounting accounting = st.dsff() == null ? Accounting.expected(spec) : Accounting.of(spec, st.dsff()::activeKernels);
        TrainingState training = new TrainingState(epochsDone, run.epochs(), (long) epochsDone * config.itersPerEpoch(),
                run.totalIterations(), config.itersPerEpoch(), config.batchSize(), config.seed(), config.fold(),
                new TrainingState.Optimizer(TrainingState.Optimizer.SGD_NESTEROV, config.learningRate(), config.momentum(),
                        config.weightDecay(), config.clipNorm()), data.dir().toString());
        BundleManifest manifest = new BundleManifest(BundleManifest.FORMAT, spec, data.plans(), training, accounting);
        List<Tensor> momentum = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : st.optimizer().buffers().entrySet()) {
            momentum.add(Tensor.ofFloats("momentum." + e.getKey(), e.getValue().getShape().getShape(), e.getValue().toFloatArray()));
        }
        SafeTensors masks = st.dsff() == null ? SafeTensors.of(List.of()) : st.dsff().toTensors();
        ModelBundle.write(config.out(), manifest, st.params().toTensors(), masks, SafeTensors.of(momentum), golden, dir -> {
            st.log().writeCsv(dir);
            st.log().writePlot(dir);
        });
    }
}
