package org.e2enet.runtime.engine;

/**
 * Whether the jars of native TensorRT's bindings are on the class path: they are optional dependencies of the
 * runtime, so that a CPU deployment does not carry them. Checked by name, without loading or initialising anything.
 */
final class NativeTensorRtJars {
    /** What to add for the {@code tensorrt} backend, in words. */
    static final String WHAT = "org.bytedeco:tensorrt, cuda and javacpp, each with its linux-x86_64 classifier";
    private static final String[] CLASSES = {"org.bytedeco.javacpp.Loader", "org.bytedeco.cuda.global.cudart",
        "org.bytedeco.tensorrt.global.nvinfer"};

    private NativeTensorRtJars() {
    }

    /** Why native TensorRT cannot be used with this class path, or null when its bindings are there. */
    static String missing() {
        for (String c : CLASSES) {
            try {
                Class.forName(c, false, NativeTensorRtJars.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                return "native TensorRT's bindings are not on the class path (no " + c + "): add " + WHAT + ", as the e2enet command "
                        + "line does, or use an ort-* backend";
            }
        }
        return null;
    }
}
