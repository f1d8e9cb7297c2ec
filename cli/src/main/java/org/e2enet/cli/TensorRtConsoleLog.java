package org.e2enet.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.e2enet.runtime.engine.Engines;

/**
 * Native TensorRT's lines on stderr as one line each, {@code tensorrt: MESSAGE}, as the command printed them before the
 * runtime logged them through the platform logger. That logger is java.util.logging here (the command binds SLF4J to
 * its no-op provider and installs no other), whose default would print a timestamp line above each message.
 */
final class TensorRtConsoleLog {
    /** Held for good: java.util.logging keeps loggers weakly, and a collected one forgets its configuration. */
    private static final Logger PROGRESS = Logger.getLogger(Engines.TENSORRT_LOG);
    private static final Logger NATIVE = Logger.getLogger(Engines.TENSORRT_NATIVE_LOG);

    private TensorRtConsoleLog() {
    }

    /** Shows the runtime's progress (building an engine) and TensorRT's warnings; its errors come in the error message. */
    static void install() {
        ConsoleHandler stderr = new ConsoleHandler();
        stderr.setLevel(Level.ALL);
        stderr.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord record) {
                return "tensorrt: " + formatMessage(record) + System.lineSeparator();
            }
        });
        PROGRESS.setLevel(Level.INFO);
        PROGRESS.setUseParentHandlers(false);
        PROGRESS.addHandler(stderr);
        NATIVE.setLevel(Level.WARNING);
        NATIVE.setFilter(r -> r.getLevel() != Level.SEVERE);
    }
}
