package org.e2enet.core.synth;

import java.util.SplittableRandom;
import org.e2enet.core.volume.Affine;
import org.e2enet.core.volume.Geometry;
import org.e2enet.core.volume.Shape3;
import org.e2enet.core.volume.Spacing3;
import org.e2enet.core.volume.Volume;
import org.e2enet.core.volume.VoxelData;
import org.e2enet.core.volume.VoxelType;

/**
 * Makes CT-like synthetic cases: a body cylinder of soft tissue in air, organ-like structures (a large
 * rotated ellipsoid, a curved tube, a hyperenhancing lesion inside the organ as a hypervascular tumour in
 * the arterial phase, then further ellipsoids for more classes) with their own intensities, Gaussian noise,
 * a smooth multiplicative bias field, anisotropic spacing that varies per case and a flipped (LPS-derived)
 * affine. Deterministic in the seed and case index.
 */
public final class PhantomGenerator {
    private static final double AIR = -1000;
    private static final double TISSUE = 40;
    private static final double NOISE_SD = 20;

    private final Shape3 shape;
    private final int classes;

    /**
     * @param shape the grid (d, h, w)
     * @param structures number of foreground structures (classes - 1), at least 1
     */
    public PhantomGenerator(Shape3 shape, int structures) {
        if (structures < 1 || structures > 254) {
            throw new IllegalArgumentException("structures must be 1..254, got " + structures);
        }
        if (shape.d() < 8 || shape.h() < 16 || shape.w() < 16) {
            throw new IllegalArgumentException("phantom shape must be at least 8x16x16, got " + shape);
        }
        this.shape = shape;
        this.classes = structures + 1;
    }

    /** Label names: background, then organ, vessel, lesion, structure4, ... */
    public String[] labelNames() {
        String[] names = new String[classes];
        names[0] = "background";
        for (int k = 1; k < classes; k++) {
            names[k] = switch (k) {
                case 1 -> "organ";
                case 2 -> "vessel";
                case 3 -> "lesion";
                default -> "structure" + k;
            };
        }
        return names;
    }

    /** Mean intensity (HU) of structure {@code k}. */
    static double intensity(int k) {
        return switch (k) {
            case 1 -> 120;
            case 2 -> 300;
            case 3 -> 210;
            default -> 160 + 45 * (k - 3);
        };
    }

    /** One case: the image (int16 HU) and its label map (uint8). */
    public PhantomCase generate(long seed, int caseIndex) {
        SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + caseIndex * 7919L + 17);
        Spacing3 spacing = new Spacing3(1.8 + 0.8 * rnd.nextDouble(), 0.7 + 0.3 * rnd.nextDouble(), 0.7 + 0.3 * rnd.nextDouble());
        Affine affine = Affine.of(new double[][] {
            {-spacing.w(), 0, 0, 0.5 * shape.w() * spacing.w() + 10 * rnd.nextDouble()},
            {0, -spacing.h(), 0, 0.5 * shape.h() * spacing.h() - 20 * rnd.nextDouble()},
            {0, 0, spacing.d(), -0.5 * shape.d() * spacing.d()}});
        Geometry g = new Geometry(shape, spacing, affine, Geometry.SCANNER_ANAT, Geometry.SCANNER_ANAT, null);
        double[] mm = {shape.d() * spacing.d(), shape.h() * spacing.h(), shape.w() * spacing.w()};
        byte[] labels = new byte[shape.voxelsInt()];
        boolean[] body = bodyMask(mm, spacing, rnd);
        Ellipsoid organ = Ellipsoid.random(mm, rnd, 0.22);
        paint(organ, labels, body, spacing, 1, false);
        for (int k = 2; k < classes; k++) {
            Structure s = switch (k) {
                case 2 -> Tube.random(mm, rnd);
                case 3 -> organ.lesion(rnd);
                default -> Ellipsoid.random(mm, rnd, 0.10);
            };
            paint(s, labels, body, spacing, k, k == 3);
        }
        VoxelData image = VoxelData.allocate(VoxelType.INT16, labels.length);
        double[] phase = {rnd.nextDouble() * 6.28, rnd.nextDouble() * 6.28, rnd.nextDouble() * 6.28};
        double[] contrast = new double[classes];
        for (int k = 1; k < classes; k++) {
            contrast[k] = intensity(k) + 10 * rnd.nextGaussian();
        }
        for (int z = 0; z < shape.d(); z++) {
            for (int y = 0; y < shape.h(); y++) {
                for (int x = 0; x < shape.w(); x++) {
                    int i = shape.index(z, y, x);
                    double v;
                    if (!body[i]) {
                        v = AIR + 5 * rnd.nextGaussian();
                    } else {
                        double bias = 1 + 0.08 * Math.sin(2.1 * z / shape.d() + phase[0])
                                * Math.cos(1.7 * y / shape.h() + phase[1]) + 0.05 * Math.sin(2.3 * x / shape.w() + phase[2]);
                        double base = labels[i] == 0 ? TISSUE : contrast[labels[i]];
                        v = base * bias + NOISE_SD * rnd.nextGaussian();
                    }
                    image.set(i, v);
                }
            }
        }
        return new PhantomCase(Volume.of(g, image), Volume.of(g, VoxelData.ofUnsignedBytes(labels)));
    }

    private boolean[] bodyMask(double[] mm, Spacing3 spacing, SplittableRandom rnd) {
        boolean[] body = new boolean[shape.voxelsInt()];
        double ry = 0.44 * mm[1] * (0.95 + 0.05 * rnd.nextDouble());
        double rx = 0.46 * mm[2] * (0.95 + 0.05 * rnd.nextDouble());
        for (int z = 0; z < shape.d(); z++) {
            for (int y = 0; y < shape.h(); y++) {
                for (int x = 0; x < shape.w(); x++) {
                    double dy = ((y + 0.5) * spacing.h() - mm[1] / 2) / ry;
                    double dx = ((x + 0.5) * spacing.w() - mm[2] / 2) / rx;
                    body[shape.index(z, y, x)] = dy * dy + dx * dx <= 1;
                }
            }
        }
        return body;
    }

    /** Paints label k where {@code s} lies inside the body (and, for a lesion, inside the organ). */
    private void paint(Structure s, byte[] labels, boolean[] body, Spacing3 spacing, int k, boolean onlyInOrgan) {
        for (int z = 0; z < shape.d(); z++) {
            for (int y = 0; y < shape.h(); y++) {
                for (int x = 0; x < shape.w(); x++) {
                    int i = shape.index(z, y, x);
                    if (body[i] && (!onlyInOrgan || labels[i] == 1)
                            && s.contains((z + 0.5) * spacing.d(), (y + 0.5) * spacing.h(), (x + 0.5) * spacing.w())) {
                        labels[i] = (byte) k;
                    }
                }
            }
        }
    }

    /** A solid in millimetre coordinates (d, h, w). */
    private interface Structure {
        boolean contains(double z, double y, double x);
    }

    /** An ellipsoid rotated about the d axis. */
    private record Ellipsoid(double cz, double cy, double cx, double az, double ay, double ax, double angle) implements Structure {
        static Ellipsoid random(double[] mm, SplittableRandom rnd, double relSize) {
            double r = Math.min(mm[1], mm[2]) * relSize;
            return new Ellipsoid(mm[0] * (0.3 + 0.4 * rnd.nextDouble()), mm[1] * (0.3 + 0.4 * rnd.nextDouble()),
                    mm[2] * (0.3 + 0.4 * rnd.nextDouble()), Math.min(mm[0] * 0.35, r * (1.2 + 0.6 * rnd.nextDouble())),
                    r * (0.8 + 0.4 * rnd.nextDouble()), r * (1.0 + 0.5 * rnd.nextDouble()), rnd.nextDouble() * Math.PI);
        }

        /** A lesion inside this organ: 50-65% of its smallest radius, centred within its inner third. */
        Ellipsoid lesion(SplittableRandom rnd) {
            double r = Math.min(az, Math.min(ay, ax));
            double size = r * (0.50 + 0.15 * rnd.nextDouble());
            return new Ellipsoid(cz + az * 0.3 * (2 * rnd.nextDouble() - 1), cy + r * 0.3 * (2 * rnd.nextDouble() - 1),
                    cx + r * 0.3 * (2 * rnd.nextDouble() - 1), size, size * (0.9 + 0.2 * rnd.nextDouble()),
                    size * (0.9 + 0.2 * rnd.nextDouble()), rnd.nextDouble() * Math.PI);
        }

        @Override
        public boolean contains(double z, double y, double x) {
            double c = Math.cos(angle);
            double s = Math.sin(angle);
            double dy = y - cy;
            double dx = x - cx;
            double u = (c * dy + s * dx) / ay;
            double v = (-s * dy + c * dx) / ax;
            double w = (z - cz) / az;
            return u * u + v * v + w * w <= 1;
        }
    }

    /** A tube whose centre line runs along h and wanders sinusoidally in d and w. */
    private record Tube(double cz, double cx, double amp, double freq, double phase, double radius, double y0, double y1)
            implements Structure {
        static Tube random(double[] mm, SplittableRandom rnd) {
            return new Tube(mm[0] * (0.35 + 0.3 * rnd.nextDouble()), mm[2] * (0.3 + 0.4 * rnd.nextDouble()),
                    mm[2] * 0.08, 2 * Math.PI / mm[1] * (0.8 + 0.8 * rnd.nextDouble()), rnd.nextDouble() * 6.28,
                    2.6 + 1.4 * rnd.nextDouble(), mm[1] * 0.12, mm[1] * 0.88);
        }

        @Override
        public boolean contains(double z, double y, double x) {
            if (y < y0 || y > y1) {
                return false;
            }
            double czy = cz + 0.5 * amp * Math.sin(freq * y + phase);
            double cxy = cx + amp * Math.cos(freq * y + phase);
            double dz = z - czy;
            double dx = x - cxy;
            return dz * dz + dx * dx <= radius * radius;
        }
    }
}
