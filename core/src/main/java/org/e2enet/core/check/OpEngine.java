package org.e2enet.core.check;

import java.util.Map;

/** An engine under check: computes one operation on given inputs. */
public interface OpEngine {
    /**
     * Runs {@code op} on {@code in}.
     *
     * @param gradients also compute the gradients of sum(y * upstream)
     * @return the output ({@link Quantity#FORWARD}) and, with {@code gradients}, each gradient the op has, as float32
     */
    Map<Quantity, float[]> run(OpCase op, OpInputs in, boolean gradients);
}
