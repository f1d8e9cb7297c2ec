package org.e2enet.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.e2enet.core.progress.ProgressListener;

/** Renders core progress as a terminal progress bar on stderr. */
final class ConsoleProgress implements ProgressListener {
    /** Whether a progress bar's line is open on the terminal (it redraws with carriage returns, no newline). */
    private static volatile boolean lineOpen;
    private ProgressBar bar;

    /** Marks a progress bar's line as open (true) or ended (false); for bars drawn elsewhere too. */
    static void lineOpen(boolean open) {
        lineOpen = open;
    }

    /** Ends an open progress-bar line, so that what follows starts on a line of its own. */
    static void endLine(java.io.PrintWriter err) {
        if (lineOpen) {
            err.println();
            lineOpen = false;
        }
    }

    @Override
    public void start(String task, long total) {
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250).continuousUpdate().build();
        lineOpen(true);
    }

    @Override
    public void step(String item) {
        if (bar != null) {
            bar.setExtraMessage(item);
            bar.step();
        }
    }

    @Override
    public void finish() {
        if (bar != null) {
            bar.close();
            bar = null;
            lineOpen(false);
        }
    }
}
