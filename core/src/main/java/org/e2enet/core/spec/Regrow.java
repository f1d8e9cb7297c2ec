package org.e2enet.core.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How regrown units start ({@code regrow}). Written in spec files, manifests and ONNX metadata as its lower-case name, on the command line
 * likewise (docs/network.md#dsff).
 */
public enum Regrow {
    /** At zero (the paper's). */
    ZERO,
    /** Kaiming-normal, as at initialisation. */
    REINIT;

    /** The word it is written as. */
    @JsonValue
    public String label() {
        return SettingLabels.label(this);
    }

    /**
     * @param word the label
     * @return the constant written as {@code word}
     * @throws IllegalArgumentException when {@code word} is no label of this setting
     */
    @JsonCreator
    public static Regrow of(String word) {
        return SettingLabels.parse(Regrow.class, "dsff.regrow", word);
    }

    /** The label, so that messages and reports print the word users write. */
    @Override
    public String toString() {
        return label();
    }
}
