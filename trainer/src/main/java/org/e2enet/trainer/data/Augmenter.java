package org.e2enet.trainer.data;

import java.util.SplittableRandom;
import org.e2enet.core.preprocess.Resampler;
import org.e2enet.core.volume.Shape3;
import org.e2enet.trainer.RandomDraws;

/**
 * nnU-Net's default data augmentation with its probabilities: rotation (+-30 degrees per axis, p 0.2) and
 * scaling (0.7..1.4, p 0.2) as one spatial transform (linear for images, nearest for labels, zero outside),
 * Gaussian noise (variance up to 0.1, p 0.1), Gaussian blur (sigma 0.5..1, p 0.2, per channel 0.5),
 * multiplicative brightness (0.75..1.25, p 0.15), contrast (0.75..1.25 keeping the range, p 0.15),
 * low-resolution simulation (zoom 0.5..1, p 0.25, per channel 0.5), gamma (0.7..1.5 keeping mean and std;
 * p 0.1 on the inverted image, then p 0.3), mirroring (p 0.5 per axis). Runs on the data-loading thread so
 * it overlaps the network's compute.
 */
public final class Augmenter {
    private final boolean enabled;

    /** @param enabled false turns every transform off (validation, tests) */
    public Augmenter(boolean enabled) {
        this.enabled = enabled;
    }

    /** Augments a patch in place (returns it, or a new one after a spatial transform). */
    public Patch apply(Patch p, SplittableRandom rng) {
        if (!enabled) {
            return p;
        }
        Patch out = p;
        boolean rotate = rng.nextDouble() < 0.2;
        boolean scale = rng.nextDouble() < 0.2;
        if (rotate || scale) {
            double[] angles = new double[3];
            for (int a = 0; a < 3; a++) {
                angles[a] = rotate ? rng.nextDouble(-Math.PI / 6, Math.PI / 6) : 0;
            }
            out = spatial(out, angles, scale ? rng.nextDouble(0.7, 1.4) : 1.0);
        }
        for (float[] c : out.channels()) {
            if (rng.nextDouble() < 0.1) {
                double sd = Math.sqrt(rng.nextDouble(0, 0.1));
                for (int i = 0; i < c.length; i++) {
                    c[i] += (float) (RandomDraws.gaussian(rng) * sd);
                }
            }
        }
        if (rng.nextDouble() < 0.2) {
            for (float[] c : out.channels()) {
                if (rng.nextDouble() < 0.5) {
                    blur(c, out.shape(), rng.nextDouble(0.5, 1.0));
                }
            }
        }
        if (rng.nextDouble() < 0.15) {
            double f = rng.nextDouble(0.75, 1.25);
            for (float[] c : out.channels()) {
                for (int i = 0; i < c.length; i++) {
                    c[i] *= (float) f;
                }
            }
        }
        if (rng.nextDouble() < 0.15) {
            double f = rng.nextDouble(0.75, 1.25);
            for (float[] c : out.channels()) {
                contrast(c, f);
            }
        }
        if (rng.nextDouble() < 0.25) {
            double zoom = rng.nextDouble(0.5, 1.0);
            for (int k = 0; k < out.channels().length; k++) {
                if (rng.nextDouble() < 0.5) {
                    out.channels()[k] = lowRes(out.channels()[k], out.shape(), zoom);
                }
            }
        }
        if (rng.nextDouble() < 0.1) {
            for (float[] c : out.channels()) {
                gamma(c, rng, true);
            }
        }
        if (rng.nextDouble() < 0.3) {
            for (float[] c : out.channels()) {
                gamma(c, rng, false);
            }
        }
        for (int axis = 0; axis < 3; axis++) {
            if (rng.nextDouble() < 0.5) {
                mirror(out, axis);
            }
        }
        return out;
    }

    /** Rotation about the three axes and isotropic scaling around the patch centre. */
    static Patch spatial(Patch p, double[] angles, double scale) {
        Shape3 s = p.shape();
        double[][] r = multiply(multiply(rot(0, angles[0]), rot(1, angles[1])), rot(2, angles[2]));
        double[] c = {(s.d() - 1) / 2.0, (s.h() - 1) / 2.0, (s.w() - 1) / 2.0};
        float[][] ch = new float[p.channels().length][s.voxelsInt()];
        byte[] lab = new byte[s.voxelsInt()];
        for (int z = 0; z < s.d(); z++) {
            for (int y = 0; y < s.h(); y++) {
                for (int x = 0; x < s.w(); x++) {
                    double[] o = {z - c[0], y - c[1], x - c[2]};
                    double[] in = new double[3];
                    for (int a = 0; a < 3; a++) {
                        in[a] = (r[a][0] * o[0] + r[a][1] * o[1] + r[a][2] * o[2]) / scale + c[a];
                    }
                    int dst = s.index(z, y, x);
                    int nz = (int) Math.round(in[0]);
                    int ny = (int) Math.round(in[1]);
                    int nx = (int) Math.round(in[2]);
                    if (nz >= 0 && ny >= 0 && nx >= 0 && nz < s.d() && ny < s.h() && nx < s.w()) {
                        lab[dst] = p.label()[s.index(nz, ny, nx)];
                    }
                    for (int k = 0; k < ch.length; k++) {
                        ch[k][dst] = (float) trilinear(p.channels()[k], s, in);
                    }
                }
            }
        }
        return new Patch(ch, lab, s);
    }

    private static double trilinear(float[] v, Shape3 s, double[] at) {
        int z0 = (int) Math.floor(at[0]);
        int y0 = (int) Math.floor(at[1]);
        int x0 = (int) Math.floor(at[2]);
        double fz = at[0] - z0;
        double fy = at[1] - y0;
        double fx = at[2] - x0;
        double sum = 0;
        for (int dz = 0; dz <= 1; dz++) {
            for (int dy = 0; dy <= 1; dy++) {
                for (int dx = 0; dx <= 1; dx++) {
                    int z = z0 + dz;
                    int y = y0 + dy;
                    int x = x0 + dx;
                    if (z < 0 || y < 0 || x < 0 || z >= s.d() || y >= s.h() || x >= s.w()) {
                        continue;
                    }
                    double w = (dz == 1 ? fz : 1 - fz) * (dy == 1 ? fy : 1 - fy) * (dx == 1 ? fx : 1 - fx);
                    sum += w * v[s.index(z, y, x)];
                }
            }
        }
        return sum;
    }

    private static double[][] rot(int axis, double a) {
        double c = Math.cos(a);
        double s = Math.sin(a);
        int i = (axis + 1) % 3;
        int j = (axis + 2) % 3;
        double[][] m = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        m[i][i] = c;
        m[i][j] = -s;
        m[j][i] = s;
        m[j][j] = c;
        return m;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        double[][] m = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    m[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return m;
    }

    /** Separable Gaussian blur (kernel radius 3 sigma, edges replicated). */
    static void blur(float[] v, Shape3 s, double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = Math.exp(-0.5 * i * i / (sigma * sigma));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        for (int axis = 0; axis < 3; axis++) {
            int n = s.get(axis);
            int inner = s.inner(axis);
            int outer = s.outer(axis);
            double[] line = new double[n];
            for (int o = 0; o < outer; o++) {
                for (int in = 0; in < inner; in++) {
                    int base = o * n * inner + in;
                    for (int i = 0; i < n; i++) {
                        line[i] = v[base + i * inner];
                    }
                    for (int i = 0; i < n; i++) {
                        double acc = 0;
                        for (int t = -radius; t <= radius; t++) {
                            acc += k[t + radius] * line[Math.min(n - 1, Math.max(0, i + t))];
                        }
                        v[base + i * inner] = (float) acc;
                    }
                }
            }
        }
    }

    private static void contrast(float[] v, double factor) {
        double mean = 0;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            mean += x;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        mean /= v.length;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.max(min, Math.min(max, (v[i] - mean) * factor + mean));
        }
    }

    private static float[] lowRes(float[] v, Shape3 s, double zoom) {
        Shape3 small = new Shape3(Math.max(1, (int) Math.round(s.d() * zoom)), Math.max(1, (int) Math.round(s.h() * zoom)),
                Math.max(1, (int) Math.round(s.w() * zoom)));
        return Resampler.resize(Resampler.resize(v, s, small, 0), small, s, 3);
    }

    private static void gamma(float[] v, SplittableRandom rng, boolean invert) {
        double g = rng.nextDouble() < 0.5 ? rng.nextDouble(0.7, 1.0) : rng.nextDouble(1.0, 1.5);
        double sign = invert ? -1 : 1;
        double mean = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float x : v) {
            double y = sign * x;
            mean += y;
            min = Math.min(min, y);
            max = Math.max(max, y);
        }
        mean /= v.length;
        double sd = 0;
        for (float x : v) {
            sd += (sign * x - mean) * (sign * x - mean);
        }
        sd = Math.sqrt(sd / v.length);
        double range = max - min + 1e-7;
        double[] out = new double[v.length];
        double newMean = 0;
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.pow((sign * v[i] - min) / range, g) * range + min;
            newMean += out[i];
        }
        newMean /= v.length;
        double newSd = 0;
        for (double y : out) {
            newSd += (y - newMean) * (y - newMean);
        }
        newSd = Math.sqrt(newSd / v.length);
        for (int i = 0; i < v.length; i++) {
            double y = (out[i] - newMean) / (newSd + 1e-8) * sd + mean;
            v[i] = (float) (sign * y);
        }
    }

    /** Flips the patch along {@code axis} (0 = d, 1 = h, 2 = w). */
    static void mirror(Patch p, int axis) {
        Shape3 s = p.shape();
        int n = s.get(axis);
        int inner = s.inner(axis);
        int outer = s.outer(axis);
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * n * inner + in;
                for (int i = 0; i < n / 2; i++) {
                    int a = base + i * inner;
                    int b = base + (n - 1 - i) * inner;
                    for (float[] c : p.channels()) {
                        float t = c[a];
                        c[a] = c[b];
                        c[b] = t;
                    }
                    byte t = p.label()[a];
                    p.label()[a] = p.label()[b];
                    p.label()[b] = t;
                }
            }
        }
    }
}
