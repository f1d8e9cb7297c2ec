package org.e2enet.core.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.spi.ToolProvider;

/** The JDK's class-file disassembler, for tests that read what compiled code calls. */
public final class Javap {
    private Javap() {
    }

    /** {@code javap -c -p} of {@code classFile}; a disassembly that fails is an error, never an empty text. */
    public static String disassemble(Path classFile) {
        ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow(() -> new IllegalStateException("this JDK has no javap tool"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = javap.run(new PrintWriter(out), new PrintWriter(err), "-c", "-p", classFile.toString());
        if (rc != 0) {
            throw new IllegalStateException("javap " + classFile + " failed (" + rc + "): " + err);
        }
        return out.toString();
    }
}
