package org.e2enet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.e2enet.core.check.EngineCheckReport;
import org.e2enet.core.check.NetworkOps;
import org.e2enet.core.spec.ModelSpec;
import org.e2enet.core.spec.Presets;
import org.e2enet.trainer.check.TrainingEngineCheck;
import org.e2enet.trainer.nn.ConvMode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommandLineTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        CommandLine cl = E2eNetCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void helpListsEverySubcommandAndEachHasAWorkedExample() {
        Result r = run("--help");
        assertEquals(0, r.code());
        // the subcommands as registered, so a command added later without an example fails here
        java.util.Set<String> subs = new java.util.TreeSet<>(E2eNetCommand.commandLine().getSubcommands().keySet());
        subs.remove("help");
        assertEquals(new java.util.TreeSet<>(List.of("synth", "info", "spec", "preprocess", "train", "import", "export", "predict", "evaluate",
                "parity", "bench", "calibrate", "devices", "plan", "quickstart")), subs);
        for (String sub : subs) {
            // a line of the command list that starts with the name, not the word anywhere in a description
            assertTrue(java.util.regex.Pattern.compile("(?m)^\\s+" + sub + "\\s").matcher(r.out()).find(), sub + " listed in:\n" + r.out());
            Result h = run(sub, "--help");
            assertEquals(0, h.code());
            assertTrue(h.out().contains("Examples:") && h.out().contains("e2enet " + sub + " "), sub + " help has an example");
        }
    }

    @Test
    void devicesDescribesTheMachineAndChecksTheGpuStackInOneLine() throws Exception {
        Result r = run("devices", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode n = new ObjectMapper().readTree(r.out());
        assertEquals(Runtime.getRuntime().availableProcessors() <= n.get("cpu").get("logicalCores").asInt(), true, r.out());
        assertTrue(n.get("memory").get("totalBytes").asLong() > 0, r.out());
        assertEquals(n.get("gpus").size() == 0, !n.get("gpuAbsentReason").isNull(), r.out());
        String summary = n.get("gpuStack").get("summary").asText();
        assertTrue(summary.startsWith("GPU stack: ") && !summary.contains("\n"), summary);
        assertEquals(n.get("gpuStack").get("mismatches").size() == 0, summary.endsWith(": matches this build"), summary);
        JsonNode cpuProvider = n.get("ortProviders").get(0);
        assertEquals("CPUExecutionProvider", cpuProvider.get("name").asText());
        assertTrue(cpuProvider.get("initialises").asBoolean());
        JsonNode training = n.get("trainingEngineCheck");
        assertEquals(3, training.get("modes").size(), r.out());
        for (JsonNode mode : training.get("modes")) {
            assertTrue(mode.get("operations").size() > 20, "every operation of the tiny preset: " + mode);
        }
        assertFalse(training.get("autoChoice").isNull(), "some mode computes right here: " + training);
        JsonNode cpuCheck = n.get("inferenceEngineCheck").get("backends").get(0);
        assertTrue(cpuCheck.get("engine").asText().endsWith("(ort-cpu)") && cpuCheck.get("passed").asBoolean(), cpuCheck.toString());
        Result table = run("devices");
        assertTrue(table.out().contains("training engine check (preset tiny; train --conv auto uses ")
                && table.out().contains("inference engine check (preset tiny):") && table.out().contains("conv 8->8 k1x3x3 s1x1x1"),
                table.out());
        assertTrue(table.out().startsWith("cpu ") && table.out().contains(summary) && table.out().contains("CPUExecutionProvider"),
                table.out());
    }

    @Test
    void specJsonHasThePaperNumbers() throws Exception {
        Result r = run("spec", "--preset", "amos", "--sparsity", "0.8", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode n = new ObjectMapper().readTree(r.out());
        assertEquals(9_445_351L, n.get("params").asLong());
        assertEquals(778_741_612_544L, n.get("paperFlops").asLong());
        assertTrue(n.get("trueFlops").asLong() > 0);
        JsonNode authors = new ObjectMapper().readTree(run("spec", "--preset", "amos", "--sparsity", "0.7", "--authors-density-rule", "--json")
                .out());
        assertEquals(11_229_255L, authors.get("params").asLong(), "the paper's AMOS s = 0.7 row");
        assertEquals(969_320_693_760L, authors.get("paperFlops").asLong());
        Result table = run("spec", "--preset", "tiny", "--granularity", "channel");
        assertTrue(table.out().contains("loc0.0.1.blocks.0.conv.weight") && table.out().contains("params"), table.out());
    }

    @Test
    void badInputIsOneLineWithExitCode2() throws Exception {
        Path junk = dir.resolve("junk.nii.gz");
        Files.writeString(junk, "junk");
        Result r = run("info", junk.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(junk.toString()) && r.err().contains("not a NIfTI"), r.err());
        assertFalse(r.err().contains("at org."), "no stack trace without --debug");
        Result missing = run("preprocess", "--dataset", dir.resolve("nope").toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no such dataset directory"), missing.err());
        Result badPreset = run("spec", "--preset", "huge");
        assertEquals(2, badPreset.code());
        assertTrue(badPreset.err().contains("unknown preset 'huge'"), badPreset.err());
        Result badOption = run("synth", "--cases");
        assertEquals(2, badOption.code());
        Path spec = dir.resolve("spec.json");
        Files.writeString(spec, "{\"inputChannels\": 1, \"bogus\": 2}");
        Result badSpec = run("spec", "--spec", spec.toString());
        assertEquals(2, badSpec.code());
        assertTrue(badSpec.err().contains("unknown spec field 'bogus'"), badSpec.err());
        Result debug = run("--debug", "info", junk.toString());
        assertTrue(debug.err().contains("at org."), "--debug shows the stack trace");
    }

    @Test
    void synthPreprocessEvaluatePipeline() throws Exception {
        Path ds = dir.resolve("ds");
        assertEquals(0, run("synth", "--out", ds.toString(), "--cases", "2", "--test-cases", "1", "--seed", "2",
                "--shape", "12", "24", "24").code());
        Result again = run("synth", "--out", ds.toString(), "--cases", "2");
        assertEquals(2, again.code());
        assertTrue(again.err().contains("already exists"), again.err());
        Result info = run("info", ds.resolve("imagesTr/phantom_000_0000.nii.gz").toString(), "--json");
        JsonNode n = new ObjectMapper().readTree(info.out());
        assertEquals(24, n.get("dims").get(0).asInt());
        assertEquals(12, n.get("dims").get(2).asInt());
        assertEquals("int16", n.get("datatype").asText());
        assertEquals(4, n.get("affine").size());
        Result pre = run("preprocess", "--dataset", ds.toString(), "--out", dir.resolve("pre").toString());
        assertEquals(0, pre.code(), pre.err());
        assertTrue(Files.isRegularFile(dir.resolve("pre/plans.json")));
        // a perfect prediction: the references themselves
        Path pred = Files.createDirectories(dir.resolve("pred"));
        try (Stream<Path> s = Files.list(ds.resolve("labelsTs"))) {
            for (Path p : s.toList()) {
                Files.copy(p, pred.resolve(p.getFileName()));
            }
        }
        Result ev = run("evaluate", "--pred", pred.toString(), "--ref", ds.resolve("labelsTs").toString(), "--json");
        assertEquals(0, ev.code(), ev.err());
        JsonNode report = new ObjectMapper().readTree(ev.out());
        assertEquals(1.0, report.get("meanDice").asDouble(), 1e-12);
        assertEquals("vessel", report.get("classNames").get(2).asText());
        assertTrue(Files.readString(pred.resolve("evaluation.csv")).startsWith("case,label,class,dice"));
        Files.delete(pred.resolve("phantom_002.nii.gz"));
        Result miss = run("evaluate", "--pred", pred.toString(), "--ref", ds.resolve("labelsTs").toString());
        assertEquals(2, miss.code());
        assertTrue(miss.err().contains("missing prediction"), miss.err());
    }

    @Test
    void trainWritesABundleAndRefusesToOverwriteIt() throws Exception {
        Path ds = dir.resolve("ds");
        assertEquals(0, run("synth", "--out", ds.toString(), "--cases", "3", "--seed", "4", "--shape", "16", "32", "32").code());
        Path spec = dir.resolve("spec.json");
        Files.writeString(spec, org.e2enet.core.spec.Presets.get("tiny").withGranularity(org.e2enet.core.spec.Granularity.CHANNEL)
                .toJson().replace("\"patchSize\" : [ 32, 32, 32 ]", "\"patchSize\" : [ 16, 32, 32 ]")
                .replace("\"poolKernels\" : [ [ 2, 2, 2 ], [ 2, 2, 2 ], [ 2, 2, 2 ] ]", "\"poolKernels\" : [ [ 1, 2, 2 ], [ 2, 2, 2 ], [ 2, 2, 2 ] ]"));
        Path out = dir.resolve("model");
        Result r = run("train", "--dataset", ds.toString(), "--spec", spec.toString(), "--out", out.toString(), "--epochs", "1",
                "--iters-per-epoch", "2", "--update-frequency", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("DSFF update at iteration 1") && r.out().contains("ms/iteration"), r.out());
        assertTrue(r.out().contains("engine check: PyTorch ") && r.out().contains("passed") && r.out().contains("; convolutions run as conv3d"),
                "the engine check ran before training and said what it chose: " + r.out());
        assertTrue(Files.isRegularFile(out.resolve("manifest.json")) && Files.isRegularFile(out.resolve("golden.safetensors")));
        assertTrue(Files.isRegularFile(dir.resolve("ds_preprocessed/plans.json")), "raw dataset preprocessed once beside it");
        Result diverged = run("train", "--dataset", ds.toString(), "--spec", spec.toString(), "--out", dir.resolve("diverged").toString(),
                "--epochs", "1", "--iters-per-epoch", "4", "--lr", "1e30");
        assertEquals(E2eNetCommand.CHECK_FAILED, diverged.code(), diverged.out() + diverged.err());
        assertTrue(diverged.err().contains("training diverged") && !diverged.err().contains("internal error"), diverged.err());
        assertTrue(diverged.err().contains("the engine check passes again") && diverged.err().contains("so the optimisation diverged"),
                "a learning rate of 1e30 diverges with a right engine: " + diverged.err());
        Path relative = dir.resolve("relative");
        Result rel = run("train", "--dataset", ds.toString(), "--spec", spec.toString(), "--out", relative.toString(), "--epochs", "1",
                "--iters-per-epoch", "4", "--updates", "1", "--max-prune-share", "0.5", "--probe-updates");
        assertEquals(0, rel.code(), rel.err());
        JsonNode dsff = new ObjectMapper().readTree(Files.readString(relative.resolve("manifest.json"))).get("spec").get("dsff");
        assertEquals(1, dsff.get("updates").asInt());
        assertEquals(0.75, dsff.get("updateEnd").asDouble(), 0, "--updates takes the measured recipe's window");
        assertEquals("round", dsff.get("pruneRounding").asText());
        assertEquals(0.5, dsff.get("maxPruneShare").asDouble(), 0, "a flag still overrides the recipe");
        assertTrue(rel.out().contains("DSFF probe at iteration 1: validation pseudo-Dice right before"), rel.out());
        Path onnx = dir.resolve("model.onnx");
        Result export = run("export", "--model", out.toString(), "--out", onnx.toString());
        assertEquals(0, export.code(), export.err());
        assertTrue(export.out().contains("gather") && Files.isRegularFile(dir.resolve("model.export.json")), export.out());
        Path device = dir.resolve("device.json");
        Result save = run("devices", "--save", device.toString(), "--measure", "--threads", "2");
        assertEquals(0, save.code(), save.err());
        JsonNode measured = new ObjectMapper().readTree(Files.readString(device)).get("costModel");
        assertTrue(measured.get("convFlopsPerMs").asDouble() > 1e6 && measured.get("gatherElementsPerMs").asDouble() > 1e4, measured.toString());
        double int8Factor = new ObjectMapper().readTree(Files.readString(device)).get("int8SpeedFactor").asDouble();
        assertTrue(int8Factor > 0.05 && int8Factor < 20, "INT8 over FP32 speed measured: " + int8Factor);
        Path targeted = dir.resolve("targeted.onnx");
        assertEquals(0, run("export", "--model", out.toString(), "--out", targeted.toString(), "--device-profile", device.toString()).code());
        assertEquals(measured, new ObjectMapper().readTree(Files.readString(dir.resolve("targeted.export.json"))).get("costModel"),
                "the export chose its lowerings with the target machine's constants and says so");
        Path unmeasured = dir.resolve("unmeasured.json");
        assertEquals(0, run("devices", "--save", unmeasured.toString()).code());
        Result refused = run("export", "--model", out.toString(), "--out", dir.resolve("x.onnx").toString(), "--device-profile",
                unmeasured.toString());
        assertEquals(2, refused.code());
        assertTrue(refused.err().contains("unmeasured.json") && refused.err().contains("--measure"), refused.err());
        assertEquals(2, run("devices", "--measure").code(), "--measure needs --save");
        Result info = run("info", onnx.toString(), "--json");
        assertEquals(0, info.code(), info.err());
        JsonNode n = new ObjectMapper().readTree(info.out());
        assertEquals(17, n.get("opset").asInt());
        assertEquals("channel", n.get("spec").get("granularity").asText());
        assertTrue(n.get("graphTrueFlops").asLong() < n.get("accounting").get("denseTrueFlops").asLong());
        Path junit = dir.resolve("parity-report.xml");
        Result parity = run("parity", "--model", out.toString(), "--onnx", onnx.toString(), "--junit", junit.toString());
        assertEquals(0, parity.code(), parity.out() + parity.err());
        assertTrue(parity.out().contains("parity PASSED"), parity.out());
        org.w3c.dom.Element suite = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile())
                .getDocumentElement();
        long tableRows = parity.out().lines().count() - 2; // the header and the summary line
        assertEquals(String.valueOf(tableRows), suite.getAttribute("tests"), "a test case a row of the table");
        assertEquals("0", suite.getAttribute("failures"));
        assertEquals("weight identity (SHA-256)", ((org.w3c.dom.Element) suite.getElementsByTagName("testcase").item(0)).getAttribute("name"));
        // whole validation volumes: the runtime preprocesses the raw images and must segment them as the training model did
        Result volumes = run("parity", "--model", out.toString(), "--onnx", onnx.toString(), "--dataset", ds.toString(), "--json");
        assertEquals(0, volumes.code(), volumes.out() + volumes.err());
        JsonNode vp = new ObjectMapper().readTree(volumes.out()).get("volumes");
        assertEquals(1, vp.get("cases").size());
        assertTrue(vp.get("agreement").asDouble() >= 0.9999, vp.toString());
        // a training-model segmentation that differs in a few voxels must fail
        org.e2enet.core.safetensors.SafeTensors golden = org.e2enet.core.safetensors.SafeTensors.read(out.resolve("golden.safetensors"));
        List<org.e2enet.core.safetensors.Tensor> tampered = new java.util.ArrayList<>();
        for (org.e2enet.core.safetensors.Tensor t : golden.tensors().values()) {
            if (t.name().startsWith("golden.seg.")) {
                byte[] d = t.data().clone();
                for (int i = 0; i < d.length; i += 50) {
                    d[i] = (byte) ((d[i] + 1) % 4);
                }
                t = org.e2enet.core.safetensors.Tensor.ofBytes(t.name(), t.shape(), d);
            }
            tampered.add(t);
        }
        org.e2enet.core.safetensors.SafeTensors.of(tampered).write(out.resolve("golden.safetensors"));
        Result differs = run("parity", "--model", out.toString(), "--onnx", onnx.toString(), "--dataset", ds.toString());
        assertEquals(1, differs.code(), differs.out() + differs.err());
        assertTrue(differs.out().contains("volume label agreement") && differs.out().contains("FAILED"), differs.out());
        Result noTrt = run("predict", "--onnx", onnx.toString(), "--input", ds.resolve("imagesTr").toString(), "--output",
                dir.resolve("p3").toString(), "--backend", "tensorrt");
        if (noTrt.code() != 0) {
            assertEquals(2, noTrt.code(), noTrt.err());
            assertTrue(noTrt.err().contains("TensorRT 10") && noTrt.err().contains("GPU stack: ") || noTrt.err().contains("CUDA device"), noTrt.err());
        }
        Path pred = dir.resolve("pred");
        Result predict = run("predict", "--onnx", onnx.toString(), "--input", ds.resolve("imagesTr").toString(), "--output", pred.toString());
        assertEquals(0, predict.code(), predict.err());
        for (String c : new String[] {"phantom_000", "phantom_001", "phantom_002"}) {
            assertTrue(Files.isRegularFile(pred.resolve(c + ".nii.gz")), c);
        }
        Result eval = run("evaluate", "--pred", pred.toString(), "--ref", ds.resolve("labelsTr").toString(), "--json");
        assertEquals(0, eval.code(), eval.err());
        Result labelAsImage = run("predict", "--onnx", onnx.toString(), "--input", ds.resolve("labelsTr/phantom_000.nii.gz").toString(),
                "--output", dir.resolve("p2").toString());
        assertEquals(2, labelAsImage.code());
        assertTrue(labelAsImage.err().contains("label map"), labelAsImage.err());
        Result bench = run("bench", "--onnx", onnx.toString(), "--onnx", onnx.toString(), "--runs", "3", "--threads", "1",
                "--volume", "16", "40", "40", "--json");
        assertEquals(0, bench.code(), bench.err());
        JsonNode figures = new ObjectMapper().readTree(bench.out());
        assertEquals(2, figures.size());
        assertTrue(figures.get(0).get("tileMedianMs").asDouble() > 0 && figures.get(1).get("volumeVoxelsPerSecond").asDouble() > 0);
        JsonNode stages = figures.get(0).get("volumeStages");
        assertTrue(stages.get("networkMs").asDouble() > 0 && stages.get("preprocessMs").asDouble() > 0 && stages.get("tiles").asInt() > 1,
                stages.toString());
        Result scanner = run("bench", "--onnx", onnx.toString(), "--runs", "2", "--threads", "1", "--volume", "20", "60", "60",
                "--volume-spacing", "3", "0.8", "0.8");
        assertEquals(0, scanner.code(), scanner.err());
        assertTrue(scanner.out().contains("resample back") && scanner.out().contains("outside the network"), scanner.out());
        // a model without plans cannot be preprocessed: the whole volume is not measured, and the output says why
        org.e2enet.onnx.proto.OnnxMl.ModelProto withPlans = org.e2enet.onnx.proto.OnnxMl.ModelProto.parseFrom(Files.readAllBytes(onnx));
        org.e2enet.onnx.proto.OnnxMl.ModelProto.Builder stripped = withPlans.toBuilder().clearMetadataProps();
        withPlans.getMetadataPropsList().stream().filter(e -> !e.getKey().equals(org.e2enet.core.onnx.OnnxContract.PLANS))
                .forEach(stripped::addMetadataProps);
        Path noPlans = Files.write(dir.resolve("no-plans.onnx"), stripped.build().toByteArray());
        Result planless = run("bench", "--onnx", noPlans.toString(), "--runs", "2", "--threads", "1", "--volume", "20", "60", "60");
        assertEquals(0, planless.code(), planless.err());
        assertTrue(planless.out().contains("whole volume not measured: the model carries no preprocessing plans")
                && planless.out().contains("--plans"), planless.out());
        Result tileOnly = run("bench", "--onnx", onnx.toString(), "--runs", "2", "--threads", "1", "--profile");
        assertEquals(0, tileOnly.code(), tileOnly.err());
        assertTrue(tileOnly.out().contains("not measured") && !tileOnly.out().contains("NaN"), tileOnly.out());
        assertTrue(tileOnly.out().contains("Conv") && tileOnly.out().contains("conv_blocks_context.0.blocks.0"),
                "the profile names operators and exported layers: " + tileOnly.out());
        Result notOurs = run("info", Files.writeString(dir.resolve("x.onnx"), "garbage").toString());
        assertEquals(2, notOurs.code());
        assertTrue(notOurs.err().contains("x.onnx"), notOurs.err());
        Result again = run("train", "--dataset", ds.toString(), "--spec", spec.toString(), "--out", out.toString(), "--epochs", "1");
        assertEquals(2, again.code());
        assertTrue(again.err().contains("--resume"), again.err());
        Result badPatch = run("train", "--dataset", ds.toString(), "--preset", "tiny", "--out", dir.resolve("m2").toString(),
                "--granularity", "group:3");
        assertEquals(2, badPatch.code());
        assertTrue(badPatch.err().contains("group:3"), badPatch.err());
    }

    @Test
    void theQuickstartPlansTheEpochsThatFitItsBudgetFromTheFirstEpochsTime() {
        assertEquals(32, QuickstartCommand.epochsWithin(730, 23, 40), "1 + floor(730 / 23)");
        assertEquals(40, QuickstartCommand.epochsWithin(5000, 15, 40), "never more than asked");
        assertEquals(1, QuickstartCommand.epochsWithin(-5, 23, 40), "the first epoch alone when the budget is spent");
    }

    @Test
    void aFailedParityRowIsAJunitFailureCarryingItsFigures() throws Exception {
        List<ParityTable.Row> rows = List.of(new ParityTable.Row("max |logits - golden|", "0.00210", "0.00100", "FAIL", List.of()),
                new ParityTable.Row("Dice of class 3", "NaN", ">= 0.999", "absent", List.of()),
                new ParityTable.Row("label agreement", "1.000000", ">= 0.9999", "ok", List.of()));
        org.w3c.dom.Element suite = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(ParityTable.junit("parity <m.onnx> on ort-cpu", rows).getBytes(
                        java.nio.charset.StandardCharsets.UTF_8))).getDocumentElement();
        assertEquals("parity <m.onnx> on ort-cpu", suite.getAttribute("name"), "escaped and read back");
        assertEquals("3", suite.getAttribute("tests"));
        assertEquals("1", suite.getAttribute("failures"));
        assertEquals("1", suite.getAttribute("skipped"));
        org.w3c.dom.Element failure = (org.w3c.dom.Element) suite.getElementsByTagName("failure").item(0);
        assertEquals("value 0.00210, limit 0.00100", failure.getAttribute("message"));
        assertEquals("absent", ((org.w3c.dom.Element) suite.getElementsByTagName("skipped").item(0)).getAttribute("message"));
    }

    @Test
    void quickstartRunsThePipelineAndWritesItsReport() throws Exception {
        Path out = dir.resolve("qs");
        // a budget far too small: training stops after its first epoch and the run still completes with golden fixtures
        Result r = run("quickstart", "--out", out.toString(), "--epochs", "3", "--iters-per-epoch", "2", "--cases", "3",
                "--test-cases", "1", "--shape", "16", "40", "40", "--threads", "2", "--budget", "0.01");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("stopped after epoch 1 of 3"), r.out());
        assertEquals(1, new ObjectMapper().readTree(Files.readString(out.resolve("model/manifest.json"))).get("training").get("epochsDone")
                .asInt());
        JsonNode report = new ObjectMapper().readTree(Files.readString(out.resolve("report.json")));
        for (String key : new String[] {"meanDice", "perClassDice", "parity", "params", "paperFlops", "trueFlops", "latencyMs", "speedup",
            "seconds"}) {
            assertTrue(report.has(key), key);
        }
        assertTrue(report.get("parity").get("passed").asBoolean());
        assertTrue(report.get("trueFlops").get("pruned").asLong() < report.get("trueFlops").get("dense").asLong());
        assertEquals(false, report.get("staticMasks").asBoolean(true), "the quickstart trains with dynamic masks");
        assertEquals("random", report.get("regrowBy").asText());
        for (String png : new String[] {"training-curves.png", "overlay.png", "speedup.png"}) {
            assertTrue(Files.size(out.resolve(png)) > 1000, png);
        }
        assertTrue(Files.readString(out.resolve("report.md")).contains("held-out mean Dice"));
        JsonNode int8 = report.get("int8");
        assertTrue(int8.has("passed") && int8.has("gateDiceDropPoints"), int8.toString());
        if (int8.get("passed").asBoolean()) {
            assertTrue(int8.has("meanDice") && int8.get("latencyMs").asDouble() > 0 && int8.get("speedup").asDouble() > 0, int8.toString());
        }

        // calibrate on its own: a model and its report, or nothing with exit 1, or one line with exit 2
        Path q = dir.resolve("m.int8.onnx");
        Result ok = run("calibrate", "--onnx", out.resolve("model.onnx").toString(), "--dataset", out.resolve("phantoms").toString(),
                "--precision", "int8", "--out", q.toString(), "--max-dice-drop", "100", "--threads", "2", "--no-fp32-where-faster");
        assertEquals(0, ok.code(), ok.out() + ok.err());
        assertTrue(ok.out().contains("gate PASSED") && Files.exists(q) && Files.exists(dir.resolve("m.int8.calibration.json")), ok.out());
        // the planner takes the calibrated variant because its report says the gate passed
        Path deployment = dir.resolve("deployment.json");
        Result plan = run("plan", "--onnx", q.toString(), "--onnx", out.resolve("model.onnx").toString(), "--out", deployment.toString(),
                "--seconds", "0", "--runs", "1");
        assertEquals(0, plan.code(), plan.out() + plan.err());
        JsonNode candidates = new ObjectMapper().readTree(Files.readString(deployment)).get("candidates");
        boolean int8Measured = false;
        for (JsonNode c : candidates) {
            int8Measured |= c.get("precision").asText().equals("int8") && c.get("tileMs").isNumber();
        }
        assertTrue(int8Measured, candidates.toString());
        Result again = run("calibrate", "--onnx", q.toString(), "--dataset", out.resolve("phantoms").toString(), "--precision", "fp16",
                "--out", dir.resolve("x.onnx").toString());
        assertEquals(E2eNetCommand.BAD_INPUT, again.code());
        assertTrue(again.err().contains("already calibrated") && again.err().strip().lines().count() == 1, again.err());
        Result precision = run("calibrate", "--onnx", out.resolve("model.onnx").toString(), "--dataset", out.resolve("phantoms").toString(),
                "--precision", "int4", "--out", dir.resolve("x.onnx").toString());
        assertEquals(E2eNetCommand.BAD_INPUT, precision.code());
        assertTrue(precision.err().contains("int4"), precision.err());
        Path blank = dir.resolve("blank");
        copyTree(out.resolve("phantoms"), blank);
        try (var images = Files.list(blank.resolve("imagesTr"))) {
            for (Path image : images.toList()) {
                org.e2enet.core.volume.Volume v = org.e2enet.core.nifti.NiftiReader.read(image);
                float[] air = new float[v.shape().voxelsInt()];
                java.util.Arrays.fill(air, -1000f);
                org.e2enet.core.nifti.NiftiWriter.standard().write(org.e2enet.core.volume.Volume.of(v.geometry(),
                        org.e2enet.core.volume.VoxelData.ofFloats(air)), image);
            }
        }
        Path never = dir.resolve("never.onnx");
        Result failed = run("calibrate", "--onnx", out.resolve("model.onnx").toString(), "--dataset", blank.toString(), "--precision", "int8",
                "--out", never.toString(), "--max-dice-drop", "0", "--threads", "2", "--no-fp32-where-faster");
        assertEquals(E2eNetCommand.CHECK_FAILED, failed.code(), failed.out() + failed.err());
        assertTrue(failed.out().contains("gate FAILED") && failed.out().contains("Dice fp32"), failed.out());
        assertFalse(Files.exists(never) || Files.exists(dir.resolve("never.calibration.json")));
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    @Test
    void mistakesOnTheCommandLineAreOneLineAndHelpIsClean() throws Exception {
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true));
        try {
            assertEquals(0, run("--help").code());
            assertEquals(0, run("parity", "--help").code());
        } finally {
            System.setErr(saved);
        }
        assertFalse(captured.toString().contains("picocli WARN"), captured.toString());
        Result bad = run("export", "--model", "m", "--out", "x.onnx", "--lowering", "bogus");
        assertEquals(E2eNetCommand.BAD_INPUT, bad.code());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        assertTrue(bad.err().contains("--lowering") && bad.err().contains("e2enet export --help"), bad.err());
        // a path the platform cannot represent (a NUL here; a non-ASCII name under LC_ALL=C fails the same way)
        Result path = run("synth", "--out", "a\u0000b");
        assertEquals(E2eNetCommand.BAD_INPUT, path.code());
        assertEquals(1, path.err().strip().lines().count(), path.err());
        assertTrue(path.err().contains("not a path"), path.err());
    }

    @Test
    void trainRefusesInOneLineBeforeTrainingWhenTheChosenModeComputesTheSpecWrongHere() throws Exception {
        // 12..64 channels: 12 and 24 are off both oneDNN blocks (8 for AVX2, 16 for AVX-512)
        ModelSpec twelve = ModelSpec.fromJson(Presets.get("tiny").toJson()
                .replace("\"baseChannels\" : 8", "\"baseChannels\" : 12"), "test");
        assertEquals(12, twelve.channels(0));
        EngineCheckReport raw = TrainingEngineCheck.run(NetworkOps.of(twelve), ConvMode.CONV3D, Device.cpu());
        Assumptions.assumeFalse(raw.passed(), "libtorch's conv3d computes 12..64 channels right on this CPU ("
                + TrainingEngineCheck.cpu() + "): nothing to refuse here");
        Path ds = dir.resolve("ds");
        assertEquals(0, run("synth", "--out", ds.toString(), "--cases", "2", "--seed", "4", "--shape", "16", "32", "32").code());
        Path spec = dir.resolve("twelve.json");
        Files.writeString(spec, twelve.toJson());
        Path out = dir.resolve("model");
        Result r = run("train", "--dataset", ds.toString(), "--spec", spec.toString(), "--out", out.toString(), "--epochs", "1",
                "--iters-per-epoch", "2", "--conv", "conv3d");
        assertEquals(E2eNetCommand.CHECK_FAILED, r.code(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("e2enet: the training engine computes wrong numbers on this CPU (") && r.err().contains("conv ")
                && r.err().contains("max relative error") && r.err().contains("--conv auto"), r.err());
        assertFalse(Files.exists(out), "refused before training: no bundle");
        assertFalse(r.out().contains("epoch"), r.out());
    }

    @Test
    void trainRefusesAnUnwritableOutBeforeTraining() {
        // the dataset does not exist either: the message about --out shows that it is checked before anything is read
        Result r = run("train", "--dataset", dir.resolve("nowhere").toString(), "--preset", "tiny", "--out", "/proc/e2enet-test/model",
                "--epochs", "1", "--iters-per-epoch", "1");
        assertEquals(E2eNetCommand.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("/proc/e2enet-test/model") && r.err().contains("cannot be written"), r.err());
    }

    @Test
    void anErrorAfterAnOpenProgressBarStartsOnALineOfItsOwn() {
        ConsoleProgress.lineOpen(true);
        Result r = run("info", dir.resolve("missing.nii.gz").toString());
        assertEquals(E2eNetCommand.BAD_INPUT, r.code());
        assertTrue(r.err().startsWith(System.lineSeparator() + "e2enet: "), "the bar's line is ended first: [" + r.err() + "]");
        Result again = run("info", dir.resolve("missing.nii.gz").toString());
        assertTrue(again.err().startsWith("e2enet: "), "and only once: [" + again.err() + "]");
    }
}
