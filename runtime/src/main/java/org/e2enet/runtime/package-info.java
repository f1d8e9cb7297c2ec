/**
 * The runtime's API: what a service that segments volumes with an exported E2ENet uses. Everything public here is
 * API; the packages under it ({@code engine}, {@code parity}, {@code bench}) are not.
 *
 * <p>A service opens an {@link org.e2enet.runtime.OnnxModel} once ({@link org.e2enet.runtime.Backend} and
 * {@link org.e2enet.runtime.BackendOptions} say where and how it runs), makes a {@link org.e2enet.runtime.Segmenter}
 * on it with {@link org.e2enet.runtime.SegmenterOptions}, and calls
 * {@link org.e2enet.runtime.Segmenter#segment(String, java.util.List, java.time.Duration)} per case, which returns a
 * {@link org.e2enet.runtime.Segmentation}. {@link org.e2enet.runtime.CaseFiles} and
 * {@link org.e2enet.runtime.CasePrediction} go from NIfTI files to files; {@link org.e2enet.runtime.Deployments} opens
 * what a deployment profile chose.
 *
 * <ul>
 *   <li><b>Threads.</b> {@code OnnxModel} and {@code Segmenter} are thread-safe: one model serves any number of
 *       segmenters and concurrent calls. The options are immutable; each result is its caller's alone.</li>
 *   <li><b>Ownership.</b> Whoever opens a model closes it; {@code new Segmenter(model, options)} leaves the model
 *       open when it closes, {@link org.e2enet.runtime.Segmenter#open} owns its model. Closing waits for the calls in
 *       flight.</li>
 *   <li><b>Errors.</b> Bad input is a {@link org.e2enet.core.io.BadInputException} whose {@code file()} and
 *       {@code problem()} a service logs apart: {@link org.e2enet.core.io.ModelLoadException} and
 *       {@link org.e2enet.core.io.BackendUnavailableException} when opening,
 *       {@link org.e2enet.core.io.InvalidImageException} for an image that cannot be segmented.</li>
 *   <li><b>Cancellation.</b> An interrupt ({@code Future.cancel(true)}) ends a call with a
 *       {@link java.util.concurrent.CancellationException}, a time limit with a
 *       {@link org.e2enet.runtime.SegmentationTimeoutException}; ONNX Runtime's run in flight is stopped within
 *       about one 10 ms tick, native TensorRT finishes its tile first, and a stop during preprocessing or
 *       resampling back is seen when that step ends.</li>
 *   <li><b>Memory.</b> Calls are admitted while their estimated memory fits
 *       {@link org.e2enet.runtime.SegmenterOptions#memoryBudget()} and queue in arrival order beyond it.</li>
 * </ul>
 */
package org.e2enet.runtime;
