package org.e2enet.core.check;

/** What an engine check compares for one operation. */
public enum Quantity {
    /** The output. */
    FORWARD("forward"),
    /** dLoss/dx. */
    INPUT_GRADIENT("input gradient"),
    /** dLoss/dweight (the norm's scale). */
    WEIGHT_GRADIENT("weight gradient"),
    /** dLoss/dbias (the norm's shift). */
    BIAS_GRADIENT("bias gradient");

    private final String label;

    Quantity(String label) {
        this.label = label;
    }

    /** The words a report uses. */
    public String label() {
        return label;
    }
}
