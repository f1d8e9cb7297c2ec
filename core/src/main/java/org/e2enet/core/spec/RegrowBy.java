package org.e2enet.core.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Which inactive units regrow ({@code regrowBy}). Written in spec files, manifests and ONNX metadata as its lower-case name, on the command line
 * likewise (docs/network.md#dsff).
 */
public enum RegrowBy {
    /** Uniformly at random (SET's and the paper's rule). */
    RANDOM,
    /** Those with the largest dense gradient magnitude of the current batch over the unit (RigL's). */
    GRADIENT;

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
    public static RegrowBy of(String word) {
        return SettingLabels.parse(RegrowBy.class, "dsff.regrowBy", word);
    }

    /** The label, so that messages and reports print the word users write. */
    @Override
    public String toString() {
        return label();
    }
}
