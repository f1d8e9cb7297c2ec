package org.e2enet.distributed;

import java.io.Serializable;
import java.util.List;

/**
 * One case of a cohort as the executors receive it.
 *
 * @param id the case id (the output is {@code {id}.nii.gz})
 * @param channels its channel files in order, as local paths or Hadoop filesystem URIs
 */
public record CohortCase(String id, List<String> channels) implements Serializable {
    /** Immutable copy. */
    public CohortCase {
        channels = List.copyOf(channels);
    }
}
