package org.e2enet.trainer.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.e2enet.core.testing.Javap;
import org.e2enet.trainer.dsff.Dsff;
import org.e2enet.trainer.nn.DeviceConstants;
import org.e2enet.trainer.nn.E2ENetModel;
import org.e2enet.trainer.nn.Ops;
import org.e2enet.trainer.optim.NesterovSgd;
import org.junit.jupiter.api.Test;

/**
 * Guards the per-iteration counts of {@link TrainingIterationTrafficTest} against code that bypasses them: the
 * compiled training path, disassembled with javap, calls no DJL method that makes a device scalar from the host
 * ({@code mul(Number)} and the like, which call {@code NDManager.create(Number)}; {@code clip} passes its bounds
 * without one) outside {@link DeviceConstants}, and reads the device only in the step's one counted read.
 */
class TrainingPathBytecodeTest {
    private static final Pattern CALL = Pattern.compile("// (?:Interface)?Method ai/djl/ndarray/(NDArray|NDArrays|NDManager)\\.(\\w+):(\\S+)");
    private static final Pattern READ = Pattern.compile("get(Long|Double|Float|Int|Byte|Uint8|Boolean)|to\\w*Array|toByteBuffer|contentEquals");
    private static final Pattern SCALAR = Pattern.compile("\\((F|I|D|J|B|Z|Ljava/lang/Number;|Ljava/lang/String;)\\).*");
    private static final String READ_SITE = "TrainingStep.readLoss";

    /** A class run every iteration and which of its methods are (all, or Dsff's mask application only). */
    private record PathClass(Class<?> type, Predicate<String> perIteration) {
    }

    private static final List<PathClass> PATH = List.of(new PathClass(TrainingStep.class, m -> true),
            new PathClass(DeepSupervisionLoss.class, m -> true), new PathClass(E2ENetModel.class, m -> true),
            new PathClass(Ops.class, m -> true), new PathClass(NesterovSgd.class, m -> true),
            new PathClass(DeviceConstants.class, m -> true), new PathClass(Dsff.class, "apply"::equals));

    @Test
    void trainingPathMakesScalarsOnlyInDeviceConstantsAndReadsOnlyTheLoss() throws Exception {
        List<String> offences = new ArrayList<>();
        List<String> allowed = new ArrayList<>();
        for (PathClass c : PATH) {
            for (Path file : classFiles(c.type())) {
                for (Call call : calls(file)) {
                    String why = offence(call);
                    if (c.perIteration().test(call.method())) {
                        (why == null ? allowed : offences).add(why == null ? call.toString() : call + ": " + why);
                    }
                }
            }
        }
        assertTrue(offences.isEmpty(), "per-iteration code must take scalars from DeviceConstants and read the device only in "
                + READ_SITE + ":\n" + String.join("\n", offences));
        // the scan sees the permitted calls, so an empty list of offences is not a parsing failure
        assertTrue(allowed.stream().anyMatch(s -> s.startsWith(READ_SITE + " calls NDArray.getFloat")), String.join("\n", allowed));
        assertTrue(allowed.stream().anyMatch(s -> s.startsWith("DeviceConstants.") && s.contains(" calls NDManager.create:(")),
                String.join("\n", allowed));
    }

    @Test
    void theScanNamesClassMethodAndCall() throws Exception {
        List<String> found = new ArrayList<>();
        for (Call call : calls(classFiles(Offender.class).get(0))) {
            String why = offence(call);
            if (why != null) {
                found.add(call + ": " + why);
            }
        }
        assertEquals(List.of("TrainingPathBytecodeTest$Offender.doubled calls NDArray.mul:(Ljava/lang/Number;)Lai/djl/ndarray/NDArray;: "
                        + "creates a device scalar from the host",
                "TrainingPathBytecodeTest$Offender.read calls NDArray.toFloatArray:()[F: reads the device"), found);
    }

    /** Code the guard must reject, and a clip it must let through. */
    private static final class Offender {
        static NDArray doubled(NDArray x) {
            return x.mul(2).clip(0, 1);
        }

        static float[] read(NDArray x) {
            return x.toFloatArray();
        }
    }

    /** One call in {@code method} of {@code type} (a class file's name) to {@code owner.name:descriptor}. */
    private record Call(String type, String method, String owner, String name, String descriptor) {
        @Override
        public String toString() {
            return type + "." + method + " calls " + owner + "." + name + ":" + descriptor;
        }
    }

    /** Why {@code call} is not allowed on the training path, or null. */
    private static String offence(Call call) {
        boolean number = call.descriptor().substring(0, call.descriptor().indexOf(')')).contains("Ljava/lang/Number;");
        if (!call.owner().equals("NDManager") && number && !(call.owner().equals("NDArray") && call.name().equals("clip"))) {
            return "creates a device scalar from the host";
        }
        if (call.owner().equals("NDManager") && (call.name().equals("full") || call.name().equals("create") && SCALAR.matcher(call.descriptor()).matches())
                && !call.type().equals(DeviceConstants.class.getSimpleName())) {
            return "creates a device scalar from the host outside DeviceConstants";
        }
        if (call.owner().equals("NDArray") && READ.matcher(call.name()).matches() && !(call.type() + "." + call.method()).equals(READ_SITE)) {
            return "reads the device";
        }
        return null;
    }

    /** The class file of {@code type} and of the classes nested in it (lambdas, switch maps, inner classes). */
    private static List<Path> classFiles(Class<?> type) throws URISyntaxException, java.io.IOException {
        Path root = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path file = root.resolve(type.getName().replace('.', '/') + ".class");
        String nested = file.getFileName().toString().replace(".class", "$");
        List<Path> out = new ArrayList<>(List.of(file));
        try (Stream<Path> siblings = Files.list(file.getParent())) {
            siblings.filter(p -> p.getFileName().toString().startsWith(nested)).sorted().forEach(out::add);
        }
        return out;
    }

    /** The DJL calls in a class file, from {@code javap -c -p}, each with the method it is made in. */
    private static List<Call> calls(Path classFile) {
        String disassembly = Javap.disassemble(classFile);
        String type = classFile.getFileName().toString().replace(".class", "");
        List<Call> calls = new ArrayList<>();
        String method = "?";
        for (String line : disassembly.split("\n")) {
            if (line.startsWith("  ") && !line.startsWith("   ") && line.endsWith(";")) {
                String head = line.contains("(") ? line.substring(0, line.indexOf('(')) : line.trim();
                String name = head.substring(head.lastIndexOf(' ') + 1);
                method = name.substring(name.lastIndexOf('.') + 1);
            }
            Matcher m = CALL.matcher(line);
            if (m.find()) {
                calls.add(new Call(type, method, m.group(1), m.group(2), m.group(3)));
            }
        }
        return calls;
    }
}
