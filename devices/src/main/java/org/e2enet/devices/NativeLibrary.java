package org.e2enet.devices;

import java.util.Arrays;
import java.util.Optional;

/**
 * One NVIDIA library as found on disk, by the version its file name carries ({@code libcudart.so.12.9.37}
 * is CUDA runtime 12.9.37).
 *
 * @param name what it is (e.g. "CUDA runtime")
 * @param soname the base name searched for (e.g. {@code libcudart.so})
 * @param version the version parts from the file name, empty when only the bare {@code .so} was found
 * @param file the file it was read from
 */
public record NativeLibrary(String name, String soname, int[] version, String file) {
    /** The major version, if the file name carries one. */
    public Optional<Integer> major() {
        return version.length == 0 ? Optional.empty() : Optional.of(version[0]);
    }

    /** The version as dotted text ("12.9.37"), or "unknown". */
    public String versionText() {
        return version.length == 0 ? "unknown" : String.join(".", Arrays.stream(version).mapToObj(Integer::toString).toList());
    }

    /** Orders by version, longest and highest last. */
    static int compareVersions(int[] a, int[] b) {
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        return Integer.compare(a.length, b.length);
    }
}
