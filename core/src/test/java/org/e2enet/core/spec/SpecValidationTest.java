package org.e2enet.core.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.e2enet.core.io.BadInputException;
import org.junit.jupiter.api.Test;

class SpecValidationTest {
    private static ObjectNode tinyJson() throws Exception {
        return (ObjectNode) new ObjectMapper().readTree(Presets.get("tiny").toJson());
    }

    @Test
    void aPatchWhoseFeatureMapsCannotBeHeldIsRefusedBeforeAnythingIsCounted() throws Exception {
        ObjectNode s = tinyJson();
        s.putArray("patchSize").add(100000).add(100000).add(100000);
        BadInputException e = assertThrows(BadInputException.class, () -> ModelSpec.fromJson(s.toString(), "huge.json"));
        assertTrue(e.getMessage().startsWith("huge.json") && e.getMessage().contains("smaller patch"), e.getMessage());
    }

    @Test
    void aSpecWithoutTheTrainingScheduleGetsThePapersAndJsonErrorsNameTheField() throws Exception {
        ObjectNode s = tinyJson();
        s.remove("dsff");
        assertEquals(DsffSettings.PAPER, ModelSpec.fromJson(s.toString(), "imported.json").dsff());
        ObjectNode wrong = tinyJson();
        wrong.put("baseChannels", "eight");
        BadInputException e = assertThrows(BadInputException.class, () -> ModelSpec.fromJson(wrong.toString(), "typo.json"));
        assertTrue(e.getMessage().startsWith("typo.json") && e.getMessage().contains("baseChannels"), e.getMessage());
        assertFalse(e.getMessage().contains("DeserializationFeature") || e.getMessage().contains("\n"), e.getMessage());
    }
}
