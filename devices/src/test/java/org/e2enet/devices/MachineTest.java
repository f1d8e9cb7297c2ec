package org.e2enet.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MachineTest {
    /** A cpuinfo block for one logical processor (x86). */
    private static String x86(int processor, String model, int physical, int core, String flags) {
        return "processor\t: " + processor + "\nvendor_id\t: GenuineIntel\nmodel name\t: " + model + "\nphysical id\t: " + physical
                + "\ncore id\t\t: " + core + "\nflags\t\t: " + flags + "\n\n";
    }

    @Test
    void aVnniServerWithTwoSocketsAndHyperThreads() {
        String flags = "fpu sse2 avx fma f16c avx2 avx512f avx512dq avx512_vnni avx512_bf16 amx_bf16 amx_tile amx_int8";
        StringBuilder text = new StringBuilder();
        int p = 0;
        for (int socket = 0; socket < 2; socket++) {
            for (int core = 0; core < 4; core++) {
                for (int thread = 0; thread < 2; thread++) {
                    text.append(x86(p++, "Intel(R) Xeon(R) Platinum 8480+", socket, core, flags));
                }
            }
        }
        CpuInfo c = CpuInfo.parse(text.toString());
        assertEquals("Intel(R) Xeon(R) Platinum 8480+", c.model());
        assertEquals(16, c.logicalCores());
        assertEquals(8, c.physicalCores());
        assertEquals(List.of("fma", "f16c", "avx2", "avx512f", "avx512_bf16", "avx512_vnni", "amx_bf16", "amx_int8"), c.flags());
    }

    @Test
    void anOlderAvx2DesktopHasNoAvx512OrVnni() {
        String text = x86(0, "Intel(R) Core(TM) i7-4790", 0, 0, "fpu sse4_2 avx fma f16c avx2") + x86(1, "Intel(R) Core(TM) i7-4790", 0, 1,
                "fpu sse4_2 avx fma f16c avx2");
        CpuInfo c = CpuInfo.parse(text);
        assertEquals(List.of("fma", "f16c", "avx2"), c.flags());
        assertEquals(2, c.physicalCores());
    }

    @Test
    void anArm64MachineReadsItsFeaturesLine() {
        String block = "processor\t: %d\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd evtstrm aes crc32 atomics fphp asimdhp asimddp sve i8mm bf16\n"
                + "CPU implementer\t: 0x41\nCPU part\t: 0xd40\n\n";
        CpuInfo c = CpuInfo.parse(String.format(block, 0) + String.format(block, 1) + String.format(block, 2));
        assertEquals("CPU part 0xd40", c.model());
        assertEquals(3, c.logicalCores());
        assertEquals(3, c.physicalCores(), "no core ids on arm64: the logical count");
        assertEquals(List.of("asimd", "asimddp", "sve", "i8mm", "bf16"), c.flags());
    }

    @Test
    void memoryWithAndWithoutACgroupLimit() {
        String meminfo = "MemTotal:       24684084 kB\nMemFree:        23040924 kB\nMemAvailable:   24236748 kB\nBuffers:  1 kB\n";
        MemoryInfo limited = MemoryInfo.parse(meminfo, "8589934592\n");
        assertEquals(24684084L * 1024, limited.totalBytes());
        assertEquals(24236748L * 1024, limited.availableBytes());
        assertEquals(8589934592L, limited.limitBytes());
        assertNull(MemoryInfo.parse(meminfo, "max\n").limitBytes(), "cgroup v2 without a limit");
        assertNull(MemoryInfo.parse(meminfo, "9223372036854771712").limitBytes(), "cgroup v1 without a limit");
        assertNull(MemoryInfo.parse(meminfo, null).limitBytes());
        assertEquals(5L * 1024, MemoryInfo.parse("MemTotal: 9 kB\nMemFree: 5 kB\n", null).availableBytes(), "old kernels: MemFree");
    }

    @Test
    void twoGpusFromNvidiaSmi() {
        List<GpuInfo> g = GpuInfo.parse("0, NVIDIA H100 80GB HBM3, 9.0, 81559, 575.51.03\n1, NVIDIA L4, 8.9, 23034, 575.51.03\n");
        assertEquals(2, g.size());
        assertEquals(new GpuInfo(1, "NVIDIA L4", "8.9", 23034L << 20, "575.51.03"), g.get(1));
        assertEquals("9.0", g.get(0).computeCapability());
        assertThrows(IllegalArgumentException.class, () -> GpuInfo.parse("0, NVIDIA H100\n"));
    }

    @Test
    void thisMachineAsItsOwnFilesDescribeIt() throws Exception {
        Machine m = Machine.discover();
        String cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
        Set<String> flags = cpuinfo.lines().filter(l -> l.startsWith("flags") || l.startsWith("Features"))
                .flatMap(l -> Arrays.stream(l.substring(l.indexOf(':') + 1).trim().split("\\s+"))).collect(Collectors.toSet());
        for (String f : CpuInfo.RELEVANT) {
            assertEquals(flags.contains(f), m.cpu().flags().contains(f), f);
        }
        assertEquals(cpuinfo.lines().filter(l -> l.startsWith("processor")).count(), m.cpu().logicalCores());
        assertTrue(m.cpu().logicalCores() >= Runtime.getRuntime().availableProcessors());
        assertTrue(m.memory().totalBytes() > 0 && m.memory().availableBytes() > 0);
        assertEquals(m.gpus().isEmpty(), m.gpuAbsentReason() != null, "an empty GPU list always says why");
    }

    @Test
    void aHungNvidiaSmiIsGivenUpAfterTheTimeoutAndKilled() throws Exception {
        GpuStack none = GpuStack.scan(List.of(), Path.of("/nonexistent/version"));
        Machine.GpuQuery q = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                () -> Machine.queryGpus(List.of("bash", "-c", "echo starting; exec sleep 600"), java.time.Duration.ofSeconds(1), none));
        assertEquals(List.of(), q.gpus());
        assertEquals("nvidia-smi did not answer within 1 s", q.absentReason());
    }

    @Test
    void nvidiaSmisAnswerIsParsedAndItsFailureQuoted() throws Exception {
        GpuStack none = GpuStack.scan(List.of(), Path.of("/nonexistent/version"));
        Machine.GpuQuery ok = Machine.queryGpus(List.of("echo", "0, NVIDIA H100 80GB HBM3, 9.0, 81559, 575.51.03"),
                java.time.Duration.ofSeconds(30), none);
        assertEquals(1, ok.gpus().size());
        assertEquals("NVIDIA H100 80GB HBM3", ok.gpus().get(0).name());
        assertNull(ok.absentReason());
        Machine.GpuQuery failed = Machine.queryGpus(List.of("bash", "-c", "echo 'NVIDIA-SMI has failed because it could not communicate'; exit 9"),
                java.time.Duration.ofSeconds(30), none);
        assertEquals("nvidia-smi failed: NVIDIA-SMI has failed because it could not communicate", failed.absentReason());
        assertEquals("no NVIDIA driver: /proc/driver/nvidia/version and nvidia-smi not found",
                Machine.queryGpus(List.of("/nonexistent/nvidia-smi"), java.time.Duration.ofSeconds(30), none).absentReason());
    }
}
