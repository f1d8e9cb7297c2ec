package org.e2enet.calibration;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.e2enet.core.dataset.Dataset;
import org.e2enet.core.dataset.DatasetCase;
import org.e2enet.core.dataset.DatasetDescriptor;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.onnx.E2eNetOnnx;
import org.e2enet.core.preprocess.CaseInput;
import org.e2enet.core.preprocess.CasePreprocessor;
import org.e2enet.core.preprocess.Plans;
import org.e2enet.core.preprocess.PreprocessedCase;
import org.e2enet.core.preprocess.PreprocessedStore;
import org.e2enet.core.progress.ProgressListener;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.window.PaddedVolume;
import org.e2enet.core.window.SlidingWindow;

/**
 * The real data calibration works on, from a raw nnU-Net dataset (preprocessed here with the model's own
 * {@code e2enet.plans}) or from an {@code e2enet preprocess} output made with the same plans. The accuracy gate
 * takes the held-out cases ({@code imagesTs} with {@code labelsTs}) when the dataset has them, otherwise the last
 * fifth of the training cases; calibration tiles come from the other training cases, cut by the runtime's
 * sliding window (step 0.5), tiles with foreground first, spread evenly over the cases.
 *
 * @param calibrationCases the cases the tiles came from
 * @param tiles the calibration tiles
 * @param gateCases the labelled cases the gate segments
 */
public record CalibrationData(List<String> calibrationCases, List<CalibrationTile> tiles, List<GateCase> gateCases) {
    /** Foreground tiles below which statistics are refused (or {@code --tiles}, when smaller). */
    public static final int MIN_FOREGROUND_TILES = 4;

    /** Immutable copies. */
    public CalibrationData {
        calibrationCases = List.copyOf(calibrationCases);
        tiles = List.copyOf(tiles);
        gateCases = List.copyOf(gateCases);
    }

    /**
     * Loads {@code dataset} for {@code model}.
     *
     * @param maxCases at most this many calibration cases
     * @param maxTiles at most this many tiles
     */
    public static CalibrationData load(Path dataset, E2eNetOnnx model, int maxCases, int maxTiles, ProgressListener progress) {
        Plans plans = model.plans();
        if (plans == null) {
            throw BadInputException.of(model.file(), "has no e2enet.plans metadata: it cannot preprocess calibration data");
        }
        Shape3 tile = Shape3.of(model.spec().patchSize());
        Sources s = PreprocessedStore.isStore(dataset) ? fromStore(dataset, model) : fromRaw(dataset, model);
        List<Loader> calibration = s.calibration.subList(0, Math.min(maxCases, s.calibration.size()));
        if (calibration.isEmpty()) {
            throw BadInputException.of(dataset, "has no cases left for calibration after the gate's " + s.gate.size()
                    + " (the gate needs labelled held-out cases: imagesTs with labelsTs, or at least two training cases)");
        }
        progress.start("load", calibration.size() + s.gate.size());
        List<List<CalibrationTile>> perCase = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (Loader l : calibration) {
            GateCase c = l.load();
            ids.add(c.id());
            perCase.add(tilesOf(c, tile));
            progress.step(c.id());
        }
        List<GateCase> gate = new ArrayList<>();
        for (Loader l : s.gate) {
            gate.add(l.load());
            progress.step(l.id);
        }
        progress.finish();
        List<CalibrationTile> tiles = choose(perCase, maxTiles);
        long foreground = tiles.stream().filter(CalibrationTile::foreground).count();
        int need = Math.min(MIN_FOREGROUND_TILES, maxTiles);
        if (foreground < need) {
            throw BadInputException.of(dataset, "gives only " + foreground + " tile(s) with foreground from " + ids.size()
                    + " case(s); calibration statistics need at least " + need + ": add labelled cases or raise --cases");
        }
        return new CalibrationData(ids, tiles, gate);
    }

    /** A case to read and preprocess on demand. */
    private record Loader(String id, java.util.function.Supplier<GateCase> read) {
        GateCase load() {
            return read.get();
        }
    }

    private record Sources(List<Loader> calibration, List<Loader> gate) {
    }

    private static Sources fromRaw(Path dataset, E2eNetOnnx model) {
        Dataset d = Dataset.open(dataset);
        checkDescriptor(d.descriptor(), dataset.resolve("dataset.json"), model);
        CasePreprocessor pre = new CasePreprocessor(model.plans());
        List<DatasetCase> heldOut = d.test().stream().filter(c -> c.label() != null).toList();
        List<DatasetCase> training = d.training();
        List<DatasetCase> gate = heldOut.isEmpty() ? training.subList(training.size() - gateCount(training.size()), training.size()) : heldOut;
        List<DatasetCase> calibration = heldOut.isEmpty() ? training.subList(0, training.size() - gate.size()) : training;
        return new Sources(calibration.stream().map(c -> raw(c, pre)).toList(), gate.stream().map(c -> raw(c, pre)).toList());
    }

    private static Loader raw(DatasetCase c, CasePreprocessor pre) {
        return new Loader(c.id(), () -> {
            PreprocessedCase p = pre.forward(CaseInput.load(c));
            return new GateCase(c.id(), p.channels(), p.label(), p.geometry().shape());
        });
    }

    private static Sources fromStore(Path dir, E2eNetOnnx model) {
        PreprocessedStore store = new PreprocessedStore(dir);
        if (!store.plans().equals(model.plans())) {
            throw BadInputException.of(dir.resolve(PreprocessedStore.PLANS), "are not the plans the model " + model.file().getFileName()
                    + " was trained with: pass the raw dataset (preprocessed here with the model's plans) or its own preprocessed output");
        }
        DatasetDescriptor d = store.descriptor();
        checkDescriptor(d, dir.resolve(PreprocessedStore.DATASET), model);
        List<String> ids = store.caseIds();
        int gate = gateCount(ids.size());
        List<Loader> loaders = ids.stream().map(id -> new Loader(id, () -> {
            PreprocessedStore.StoredCase c = store.read(id, d);
            if (c.labels() == null) {
                throw BadInputException.of(c.labelFile(), "missing: calibration needs labelled cases");
            }
            byte[] labels = new byte[c.labels().length];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = (byte) c.labels()[i];
            }
            return new GateCase(id, c.channels(), labels, c.shape());
        })).toList();
        return new Sources(loaders.subList(0, ids.size() - gate), loaders.subList(ids.size() - gate, ids.size()));
    }

    /** Gate cases taken from the training cases when there are no held-out ones: a fifth, at least one (none of a single case). */
    static int gateCount(int cases) {
        return cases < 2 ? 0 : Math.max(1, cases / 5);
    }

    private static void checkDescriptor(DatasetDescriptor d, Path file, E2eNetOnnx model) {
        List<String> channels = List.copyOf(d.channelNames().values());
        if (!channels.equals(model.plans().channelNames())) {
            throw BadInputException.of(file, "declares channels " + channels + ", the model " + model.file().getFileName()
                    + " was trained on " + model.plans().channelNames());
        }
        if (d.classes() != model.spec().numClasses()) {
            throw BadInputException.of(file, "declares " + d.classes() + " labels, the model segments " + model.spec().numClasses()
                    + " classes");
        }
    }

    /** Every sliding-window tile of a case (padded to the tile as the runtime pads), each marked by whether it holds foreground. */
    static List<CalibrationTile> tilesOf(GateCase c, Shape3 tile) {
        PaddedVolume padded = PaddedVolume.of(c.channels(), c.shape(), tile);
        Shape3 ps = padded.shape();
        float[][] ch = padded.channels();
        byte[] labels = padded.pad(c.labels());
        List<CalibrationTile> out = new ArrayList<>();
        int tv = tile.voxelsInt();
        for (int[] t : SlidingWindow.tiles(ps, tile, 0.5)) {
            float[] data = new float[ch.length * tv];
            boolean fg = false;
            int i = 0;
            for (int k = 0; k < ch.length; k++) {
                for (int z = 0; z < tile.d(); z++) {
                    for (int y = 0; y < tile.h(); y++) {
                        int src = ps.index(t[0] + z, t[1] + y, t[2]);
                        System.arraycopy(ch[k], src, data, i, tile.w());
                        if (k == 0 && !fg) {
                            for (int x = 0; x < tile.w(); x++) {
                                fg |= labels[src + x] != 0;
                            }
                        }
                        i += tile.w();
                    }
                }
            }
            out.add(new CalibrationTile(c.id(), data, new long[] {1, ch.length, tile.d(), tile.h(), tile.w()}, fg));
        }
        return out;
    }

    /** Up to {@code max} tiles taken in turn from each case, a case's foreground tiles first and evenly spaced. */
    static List<CalibrationTile> choose(List<List<CalibrationTile>> perCase, int max) {
        List<List<CalibrationTile>> ordered = new ArrayList<>();
        for (List<CalibrationTile> tiles : perCase) {
            List<CalibrationTile> fg = tiles.stream().filter(CalibrationTile::foreground).toList();
            List<CalibrationTile> bg = tiles.stream().filter(t -> !t.foreground()).toList();
            List<CalibrationTile> o = new ArrayList<>(spread(fg));
            o.addAll(spread(bg));
            ordered.add(o);
        }
        List<CalibrationTile> out = new ArrayList<>();
        for (int round = 0; out.size() < max; round++) {
            boolean any = false;
            for (List<CalibrationTile> o : ordered) {
                if (round < o.size() && out.size() < max) {
                    out.add(o.get(round));
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        return out;
    }

    /** The list reordered so that any prefix is spread over it (bit-reversal-like: middle, quarters, ...). */
    private static List<CalibrationTile> spread(List<CalibrationTile> tiles) {
        List<CalibrationTile> out = new ArrayList<>();
        boolean[] taken = new boolean[tiles.size()];
        for (int step = Integer.highestOneBit(Math.max(1, tiles.size())); step >= 1; step /= 2) {
            for (int i = step / 2 == 0 ? 0 : step / 2; i < tiles.size(); i += step) {
                if (!taken[i]) {
                    taken[i] = true;
                    out.add(tiles.get(i));
                }
            }
        }
        for (int i = 0; i < tiles.size(); i++) {
            if (!taken[i]) {
                out.add(tiles.get(i));
            }
        }
        return out;
    }
}
