package org.e2enet.runtime;

import java.util.concurrent.CancellationException;

/**
 * A segmentation stopped because its time limit passed ({@link Segmenter#segment(String, java.util.List,
 * java.time.Duration)}): a kind of cancellation, so code that handles {@code Future.cancel} handles it too.
 */
public class SegmentationTimeoutException extends CancellationException {
    private static final long serialVersionUID = 1L;

    /** @param message what passed, and how far the segmentation got */
    public SegmentationTimeoutException(String message) {
        super(message);
    }
}
