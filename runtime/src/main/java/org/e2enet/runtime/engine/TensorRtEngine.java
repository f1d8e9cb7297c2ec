package org.e2enet.runtime.engine;

import org.e2enet.runtime.BackendOptions;
import org.e2enet.runtime.EnginePrecision;
import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.cudart.cudaGetDeviceCount;
import static org.bytedeco.cuda.global.cudart.cudaGetDeviceProperties;
import static org.bytedeco.cuda.global.cudart.cudaGetErrorString;
import static org.bytedeco.cuda.global.cudart.cudaMalloc;
import static org.bytedeco.cuda.global.cudart.cudaMemcpy;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyHostToDevice;
import static org.bytedeco.cuda.global.cudart.cudaSetDevice;
import static org.bytedeco.cuda.global.cudart.cudaStreamCreate;
import static org.bytedeco.cuda.global.cudart.cudaStreamDestroy;
import static org.bytedeco.cuda.global.cudart.cudaStreamSynchronize;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvonnxparser;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.IBuilder;
import org.bytedeco.tensorrt.nvinfer.IBuilderConfig;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IExecutionContext;
import org.bytedeco.tensorrt.nvinfer.IHostMemory;
import org.bytedeco.tensorrt.nvinfer.ILayer;
import org.bytedeco.tensorrt.nvinfer.ILogger;
import org.bytedeco.tensorrt.nvinfer.INetworkDefinition;
import org.bytedeco.tensorrt.nvinfer.IOptimizationProfile;
import org.bytedeco.tensorrt.nvinfer.IRuntime;
import org.bytedeco.tensorrt.nvonnxparser.IParser;
import org.e2enet.core.io.AtomicFiles;
import org.e2enet.core.io.ModelLoadException;
import org.e2enet.core.io.BackendUnavailableException;
import org.e2enet.core.onnx.E2eNetOnnx;
import org.e2enet.core.onnx.OnnxContract;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.devices.GpuStack;

/**
 * Native TensorRT 10 through bytedeco's bindings: the engine is built from the ONNX file once as its
 * {@link TensorRtBuild} says (FP32, FP16 with normalisation held in FP32, or INT8 from the graph's Q/DQ scales;
 * an optimisation profile for batches 1..maxBatch at the patch size), serialised into the engine cache under
 * its {@link EngineCacheKey}, and deserialised on later runs. Needs TensorRT 10 and the CUDA 12 runtime, the
 * stack ONNX Runtime's GPU build uses too.
 */
final class TensorRtEngine implements TileEngine {
    private static final String INSTALL = "the native TensorRT backend needs TensorRT 10 (libnvinfer.so.10, libnvonnxparser.so.10) and the "
            + "CUDA 12 runtime (libcudart.so.12) on the library path (LD_LIBRARY_PATH); install " + GpuStack.EXPECTED
            + ", or use --backend ort-cpu";
    private static final System.Logger LOG = System.getLogger(Engines.TENSORRT_LOG);
    private final TensorRtSharedEngines.Shared shared;
    private final IExecutionContext context;
    private final CUstream_st stream;
    private final Pointer deviceInput;
    private final Pointer deviceOutput;
    private final long inputPerSample;
    private final long outputPerSample;
    private final int maxBatch;
    private final int deviceId;
    private final Path plan;
    private boolean closed;

    /**
     * Holds {@code context} of {@code shared} until {@link #close()}; the stream and buffers are its own. When they
     * cannot be had, what was had is freed and the context given back.
     */
    private TensorRtEngine(TensorRtSharedEngines.Shared shared, IExecutionContext context, ModelSpec spec, BackendOptions options,
                           Path plan) {
        this.shared = shared;
        this.context = context;
        this.maxBatch = options.maxBatch();
        this.deviceId = options.deviceId();
        this.plan = plan;
        int[] p = spec.patchSize();
        long voxels = (long) p[0] * p[1] * p[2];
        inputPerSample = spec.inputChannels() * voxels;
        outputPerSample = spec.numClasses() * voxels;
        stream = new CUstream_st();
        deviceInput = new Pointer();
        deviceOutput = new Pointer();
        try {
            check(cudaStreamCreate(stream), "cudaStreamCreate");
            check(cudaMalloc(deviceInput, 4 * inputPerSample * maxBatch), "cudaMalloc (input)");
            check(cudaMalloc(deviceOutput, 4 * outputPerSample * maxBatch), "cudaMalloc (output)");
        } catch (RuntimeException e) {
            release();
            throw e;
        }
    }

    /** Loads the TensorRT and CUDA natives, or explains what to install. */
    static void loadNatives() {
        try {
            Loader.load(cudart.class);
            Loader.load(nvinfer.class);
            Loader.load(nvonnxparser.class);
        } catch (LinkageError e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new BackendUnavailableException("tensorrt: cannot load TensorRT/CUDA (" + OrtSessions.firstLine(String.valueOf(root.getMessage())) + "); "
                    + INSTALL + ". " + GpuStack.scan().summary(), e);
        }
    }

    /** Opens {@code file} on the GPU, building and caching its engine when the cache has none for this key. */
    static TensorRtEngine open(E2eNetOnnx onnx, BackendOptions options) {
        Path file = onnx.file();
        ModelSpec spec = onnx.spec();
        TensorRtBuild build = TensorRtBuild.of(onnx, options);
        loadNatives();
        int[] count = new int[1];
        int status = cudaGetDeviceCount(count);
        if (status != 0 || count[0] <= options.deviceId()) {
            throw new BackendUnavailableException("tensorrt: no CUDA device " + options.deviceId() + " ("
                    + (status != 0 ? cudaGetErrorString(status).getString() : count[0] + " device(s) found")
                    + "); install the NVIDIA driver for CUDA 12, or use --backend ort-cpu", null);
        }
        check(cudaSetDevice(options.deviceId()), "cudaSetDevice");
        EngineCacheKey key;
        try (cudaDeviceProp prop = new cudaDeviceProp()) {
            check(cudaGetDeviceProperties(prop, options.deviceId()), "cudaGetDeviceProperties");
            key = new EngineCacheKey(EngineCacheKey.sha256(file), prop.name().getString(), prop.major() * 10 + prop.minor(),
                    build.precision(), options.maxBatch(), nvinfer.getInferLibVersion());
        }
        Path plan = options.engineCache().resolve(key.fileName());
        TensorRtSharedEngines.Shared shared = TensorRtSharedEngines.get(plan, options.deviceId(), Logger.INSTANCE,
                runtime -> engine(runtime, file, spec, options, build, plan));
        Logger.INSTANCE.clear();
        IExecutionContext context = shared.take();
        if (context == null) {
            throw new IllegalStateException("tensorrt: no execution context for tiles of batch up to " + options.maxBatch() + " at patch "
                    + Arrays.toString(spec.patchSize()) + " (" + Logger.INSTANCE.errors() + "); it needs more GPU memory than is free");
        }
        return new TensorRtEngine(shared, context, spec, options, plan);
    }

    /** The engine from the cache, or built, cached and deserialised when the cache has none that loads. */
    private static ICudaEngine engine(IRuntime runtime, Path file, ModelSpec spec, BackendOptions options, TensorRtBuild build, Path plan) {
        ICudaEngine engine = null;
        if (Files.isRegularFile(plan)) {
            engine = deserialize(runtime, read(plan));
            if (engine == null) {
                LOG.log(System.Logger.Level.WARNING, "cached engine " + plan + " does not load (" + Logger.INSTANCE.errors() + "); rebuilding it");
            }
        }
        if (engine == null) {
            byte[] bytes = build(file, spec, options, build);
            try {
                AtomicFiles.write(plan, out -> out.write(bytes));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the engine cache " + plan, e);
            }
            engine = deserialize(runtime, bytes);
            if (engine == null) {
                throw new IllegalStateException("tensorrt: the engine just built does not deserialise: " + Logger.INSTANCE.errors());
            }
        }
        return engine;
    }

    /**
     * Frees what JavaCPP allocated for a builder-side object; for the objects TensorRT's factories return this is a
     * no-op in bytedeco's presets (see {@link TensorRtSharedEngines}), and the builder's are made once per plan.
     */
    private static void free(Pointer p) {
        if (p != null && !p.isNull()) {
            p.close();
        }
    }

    /** Where this engine's plan is cached. */
    Path plan() {
        return plan;
    }

    private static byte[] build(Path file, ModelSpec spec, BackendOptions options, TensorRtBuild build) {
        Logger.INSTANCE.clear();
        LOG.log(System.Logger.Level.INFO, "building the " + build.precision() + " engine for " + file + " (first run on this GPU; cached after)");
        IBuilder builder = nvinfer.createInferBuilder(Logger.INSTANCE);
        INetworkDefinition network = builder.createNetworkV2(0); // TensorRT 10: every network has an explicit batch
        IParser parser = nvonnxparser.createParser(network, Logger.INSTANCE);
        try {
            if (!parser.parseFromFile(file.toString(), ILogger.Severity.kWARNING.value)) {
                List<String> errors = new ArrayList<>();
                for (int i = 0; i < parser.getNbErrors(); i++) {
                    errors.add(parser.getError(i).desc());
                }
                throw new ModelLoadException(file, "TensorRT's ONNX parser refuses it: " + errors);
            }
            try (IBuilderConfig config = builder.createBuilderConfig(); Dims64 one = dims(spec, 1); Dims64 most = dims(spec, options.maxBatch())) {
                configure(config, network, build);
                IOptimizationProfile profile = builder.createOptimizationProfile(); // owned by the builder
                profile.setDimensions(OnnxContract.INPUT, nvinfer.OptProfileSelector.kMIN, one);
                profile.setDimensions(OnnxContract.INPUT, nvinfer.OptProfileSelector.kOPT, most);
                profile.setDimensions(OnnxContract.INPUT, nvinfer.OptProfileSelector.kMAX, most);
                config.addOptimizationProfile(profile);
                IHostMemory serialized = builder.buildSerializedNetwork(network, config);
                if (serialized == null || serialized.isNull()) {
                    throw new IllegalStateException("tensorrt: building the engine failed: " + Logger.INSTANCE.errors());
                }
                try (serialized) {
                    byte[] bytes = new byte[Math.toIntExact(serialized.size())];
                    new BytePointer(serialized.data()).capacity(serialized.size()).get(bytes);
                    return bytes;
                }
            }
        } finally {
            free(parser);
            free(network);
            free(builder);
        }
    }

    /**
     * Applies {@code build} to the builder: the workspace limit, FP16, explicit INT8 (the Q/DQ scales of the
     * graph, no calibrator), and FP32 precision constraints on the normalisation layers under reduced precision.
     */
    private static void configure(IBuilderConfig config, INetworkDefinition network, TensorRtBuild build) {
        config.setMemoryPoolLimit(nvinfer.MemoryPoolType.kWORKSPACE, build.workspaceBytes());
        config.clearFlag(nvinfer.BuilderFlag.kTF32); // on by default from Ampere on: FP32 layers compute in FP32 (EnginePrecision)
        if (build.fp16()) {
            config.setFlag(nvinfer.BuilderFlag.kFP16);
        }
        if (build.explicitInt8()) {
            config.setFlag(nvinfer.BuilderFlag.kINT8);
        }
        if (build.normsInFp32()) {
            config.setFlag(nvinfer.BuilderFlag.kOBEY_PRECISION_CONSTRAINTS);
            for (int i = 0; i < network.getNbLayers(); i++) {
                ILayer layer = network.getLayer(i);
                if (TensorRtEnums.isNormalization(layer.getType())) {
                    layer.setPrecision(nvinfer.DataType.kFLOAT);
                    for (int o = 0; o < layer.getNbOutputs(); o++) {
                        layer.setOutputType(o, nvinfer.DataType.kFLOAT);
                    }
                }
            }
        }
    }

    private static ICudaEngine deserialize(IRuntime runtime, byte[] bytes) {
        Logger.INSTANCE.clear();
        ICudaEngine e = runtime.deserializeCudaEngine(new BytePointer(bytes), bytes.length);
        return e == null || e.isNull() ? null : e;
    }

    private static byte[] read(Path plan) {
        try {
            return Files.readAllBytes(plan);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cached engine " + plan, e);
        }
    }

    private static Dims64 dims(ModelSpec spec, long batch) {
        int[] p = spec.patchSize();
        return dims(new long[] {batch, spec.inputChannels(), p[0], p[1], p[2]});
    }

    private static Dims64 dims(long[] shape) {
        Dims64 d = new Dims64();
        d.nbDims(shape.length);
        for (int i = 0; i < shape.length; i++) {
            d.d(i, shape[i]);
        }
        return d;
    }

    private static void check(int status, String call) {
        if (status != 0) {
            throw new IllegalStateException("tensorrt: " + call + " failed: " + cudaGetErrorString(status).getString());
        }
    }

    @Override
    public synchronized float[] run(float[] input, long[] shape) {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        check(cudaSetDevice(deviceId), "cudaSetDevice"); // the device is per thread: callers' pools and Spark executors differ
        int n = Math.toIntExact(shape[0]);
        if (n < 1 || n > maxBatch || input.length != n * inputPerSample) {
            throw new IllegalArgumentException("tensorrt: batch of " + Arrays.toString(shape) + " does not fit the engine (batch 1.."
                    + maxBatch + ", " + inputPerSample + " values per sample)");
        }
        try (Dims64 d = dims(shape)) {
            if (!context.setInputShape(OnnxContract.INPUT, d)) {
                throw new IllegalStateException("tensorrt: input shape " + Arrays.toString(shape) + " refused: " + Logger.INSTANCE.errors());
            }
        }
        float[] out = new float[Math.toIntExact(n * outputPerSample)];
        try (FloatPointer host = new FloatPointer(input); FloatPointer result = new FloatPointer(out.length)) {
            check(cudaMemcpy(deviceInput, host, 4L * input.length, cudaMemcpyHostToDevice), "cudaMemcpy (input)");
            context.setTensorAddress(OnnxContract.INPUT, deviceInput);
            context.setTensorAddress(OnnxContract.OUTPUT, deviceOutput);
            if (!context.enqueueV3(stream)) {
                throw new IllegalStateException("tensorrt: inference failed: " + Logger.INSTANCE.errors());
            }
            check(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
            check(cudaMemcpy(result, deviceOutput, 4L * out.length, cudaMemcpyDeviceToHost), "cudaMemcpy (output)");
            result.get(out);
        }
        return out;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            release();
        }
    }

    /** Frees the buffers and stream (what was made of them) and gives the context back for the next open. */
    private void release() {
        cudaSetDevice(deviceId);
        if (!deviceInput.isNull()) {
            cudaFree(deviceInput);
        }
        if (!deviceOutput.isNull()) {
            cudaFree(deviceOutput);
        }
        if (!stream.isNull()) {
            cudaStreamDestroy(stream);
        }
        shared.giveBack(context);
    }

    /**
     * TensorRT's log, through the platform logger {@value Engines#TENSORRT_NATIVE_LOG} at the level of each message's severity; errors
     * are also kept for the message of the exception they lead to.
     */
    private static final class Logger extends ILogger {
        /** Created on first use, after {@link #loadNatives()} (the class needs the natives), and kept for good. */
        static final Logger INSTANCE = new Logger();
        private static final System.Logger NATIVE = System.getLogger(Engines.TENSORRT_NATIVE_LOG);
        private final List<String> errors = new ArrayList<>();

        @Override
        public void log(Severity severity, String msg) {
            System.Logger.Level level = TensorRtEnums.level(severity);
            if (level == System.Logger.Level.ERROR) {
                synchronized (errors) {
                    errors.add(msg);
                }
            }
            NATIVE.log(level, msg);
        }

        String errors() {
            synchronized (errors) {
                return errors.isEmpty() ? "no message from TensorRT" : String.join("; ", errors);
            }
        }

        void clear() {
            synchronized (errors) {
                errors.clear();
            }
        }
    }
}
