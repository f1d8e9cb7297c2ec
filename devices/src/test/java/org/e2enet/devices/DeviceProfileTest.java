package org.e2enet.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.e2enet.core.io.BadInputException;
import org.e2enet.core.onnx.ExportReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceProfileTest {
    @TempDir
    Path dir;

    @Test
    void measuredConstantsComeBackAndAProfileWithoutOrWithAbsurdOnesIsBadInput() throws Exception {
        Machine m = Machine.discover();
        Path f = dir.resolve("device.json");
        ExportReport.CostConstants c = new ExportReport.CostConstants(1.6e8, 4.3e6, 0.65);
        new DeviceProfile(DeviceProfile.FORMAT, m, c, 2, null).write(f);
        assertEquals(c, DeviceProfile.costModelOf(f));
        assertTrue(Files.readString(f).contains("\"avx2\"") == m.cpu().flags().contains("avx2"), "the discovery is saved with it");
        new DeviceProfile(DeviceProfile.FORMAT, m, null, 0, null).write(f);
        assertTrue(assertThrows(BadInputException.class, () -> DeviceProfile.costModelOf(f)).getMessage().contains("--measure"));
        new DeviceProfile(DeviceProfile.FORMAT, m, new ExportReport.CostConstants(1.6e8, -1, 0.65), 2, null).write(f);
        assertTrue(assertThrows(BadInputException.class, () -> DeviceProfile.costModelOf(f)).getMessage().contains("out of range"));
        Files.writeString(f, "{\"format\": \"e2enet-deployment/1\"}");
        BadInputException e = assertThrows(BadInputException.class, () -> DeviceProfile.costModelOf(f));
        assertTrue(e.getMessage().contains("device.json") && e.getMessage().contains("e2enet-device/1"), e.getMessage());
    }
}
