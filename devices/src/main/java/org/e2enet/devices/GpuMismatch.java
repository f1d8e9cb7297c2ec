package org.e2enet.devices;

/**
 * One way this machine's NVIDIA stack differs from the one the build expects ({@link GpuStack#mismatches()}).
 *
 * @param component the part that differs, for code that decides by it
 * @param message one short clause for people, e.g. "cuDNN missing (no libcudnn.so.9)"
 */
public record GpuMismatch(GpuComponent component, String message) {
}
