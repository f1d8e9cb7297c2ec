/**
 * Not API: the inference engines behind {@link org.e2enet.runtime.OnnxModel} (ONNX Runtime's providers and native
 * TensorRT), the backend choice of {@code auto} and the inference-engine check. Its public classes serve e2enet's
 * command line and calibration, and may change without notice; a service uses {@link org.e2enet.runtime}.
 */
package org.e2enet.runtime.engine;
