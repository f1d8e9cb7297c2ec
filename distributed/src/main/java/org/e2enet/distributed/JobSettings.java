package org.e2enet.distributed;

import java.io.Serializable;
import java.util.List;
import org.e2enet.runtime.Backend;

/**
 * What every executor needs to segment its cases; sent with the tasks.
 *
 * @param model the ONNX model (local path or Hadoop URI)
 * @param modelSha256 its SHA-256, as the driver read it (each executor checks its copy against it)
 * @param backend the runtime backend, parsed once by the driver
 * @param threads CPU threads per Segmenter
 * @param output the output directory (local path or Hadoop URI)
 * @param classNames the model's class names, background first (the volume columns)
 */
public record JobSettings(String model, String modelSha256, Backend backend, int threads, String output, List<String> classNames)
        implements Serializable {
    /** Immutable copy. */
    public JobSettings {
        classNames = List.copyOf(classNames);
    }
}
