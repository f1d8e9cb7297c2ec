package org.e2enet.trainer.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.e2enet.core.volume.Shape3;
import org.e2enet.trainer.RandomDraws;

/**
 * nnU-Net's patch sampling: a random case, a random patch position; in each batch the last
 * round(B * 0.33) samples are centred on a voxel of a random foreground class present in the case
 * (foreground oversampling). Cases smaller than the patch are padded with zeros (images) and background.
 */
public final class PatchSampler {
    /** nnU-Net's foreground oversampling fraction. */
    public static final double OVERSAMPLE_FOREGROUND = 0.33;
    private final List<TrainingCase> cases;
    private final Shape3 patch;

    /**
     * @param cases the cases to draw from
     * @param patch the patch size
     */
    public PatchSampler(List<TrainingCase> cases, Shape3 patch) {
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("no cases to sample from");
        }
        this.cases = cases;
        this.patch = patch;
    }

    /** Whether sample {@code index} of a batch of {@code batchSize} is forced to contain foreground. */
    public static boolean forceForeground(int index, int batchSize) {
        return index >= Math.round(batchSize * (1 - OVERSAMPLE_FOREGROUND));
    }

    /** Draws one patch. */
    public Patch sample(SplittableRandom rng, boolean foreground) {
        TrainingCase c = cases.get(RandomDraws.below(rng, cases.size()));
        Shape3 s = c.shape();
        int[] lo = new int[3];
        int[] center = null;
        if (foreground) {
            List<Integer> present = new ArrayList<>();
            for (int k = 1; k < c.classLocations().length; k++) {
                if (c.classLocations()[k].length > 0) {
                    present.add(k);
                }
            }
            if (!present.isEmpty()) {
                int[] locs = c.classLocations()[present.get(RandomDraws.below(rng, present.size()))];
                int v = locs[RandomDraws.below(rng, locs.length)];
                center = new int[] {v / (s.h() * s.w()), (v / s.w()) % s.h(), v % s.w()};
            }
        }
        for (int a = 0; a < 3; a++) {
            int need = Math.max(0, patch.get(a) - s.get(a));
            int lb = -need / 2;
            int ub = s.get(a) + need / 2 + need % 2 - patch.get(a);
            lo[a] = center == null ? lb + RandomDraws.below(rng, ub - lb + 1) : Math.max(lb, Math.min(ub, center[a] - patch.get(a) / 2));
        }
        return crop(c, lo);
    }

    /** The patch whose first voxel is {@code lo} (may lie outside the case: zero / background there). */
    public Patch crop(TrainingCase c, int[] lo) {
        Shape3 s = c.shape();
        int n = patch.voxelsInt();
        float[][] ch = new float[c.channels().length][n];
        byte[] lab = new byte[n];
        for (int z = 0; z < patch.d(); z++) {
            int sz = z + lo[0];
            if (sz < 0 || sz >= s.d()) {
                continue;
            }
            for (int y = 0; y < patch.h(); y++) {
                int sy = y + lo[1];
                if (sy < 0 || sy >= s.h()) {
                    continue;
                }
                int x0 = Math.max(0, -lo[2]);
                int x1 = Math.min(patch.w(), s.w() - lo[2]);
                if (x1 <= x0) {
                    continue;
                }
                int src = s.index(sz, sy, x0 + lo[2]);
                int dst = patch.index(z, y, x0);
                for (int k = 0; k < ch.length; k++) {
                    System.arraycopy(c.channels()[k], src, ch[k], dst, x1 - x0);
                }
                System.arraycopy(c.label(), src, lab, dst, x1 - x0);
            }
        }
        return new Patch(ch, lab, patch);
    }

    /** The patch size. */
    public Shape3 patch() {
        return patch;
    }
}
