package org.e2enet.core.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How an update's prune count dr * active becomes whole ({@code pruneRounding}). Written in spec files, manifests and ONNX metadata as its lower-case name, on the command line
 * likewise (docs/network.md#dsff).
 */
public enum PruneRounding {
    /** Up (the paper's and the authors' Masking code's): at least one unit per tensor at any death rate. */
    CEIL,
    /** To nearest: a tensor with few active units stops changing once dr * active falls below one half, so the death rate's decay reaches it. */
    ROUND;

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
    public static PruneRounding of(String word) {
        return SettingLabels.parse(PruneRounding.class, "dsff.pruneRounding", word);
    }

    /** The label, so that messages and reports print the word users write. */
    @Override
    public String toString() {
        return label();
    }
}
