package org.e2enet.cli;

import java.io.PrintWriter;
import org.e2enet.core.io.CommandLineErrors;
import org.e2enet.trainer.loop.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code e2enet} command: one entry point, one subcommand per job. */
@Command(name = "e2enet", mixinStandardHelpOptions = true, version = "e2enet 0.1.0",
        description = "Train sparse E2ENet 3D segmentation networks, export compact ONNX models, run them with proven parity.",
        subcommands = {SynthCommand.class, InfoCommand.class, SpecCommand.class, PreprocessCommand.class,
            TrainCommand.class, ImportCommand.class, ExportCommand.class, PredictCommand.class, EvaluateCommand.class, ParityCommand.class, BenchCommand.class, CalibrateCommand.class, DevicesCommand.class, PlanCommand.class, QuickstartCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 success, 1 a check failed, 2 bad input, 3 internal error.",
            "Run 'e2enet COMMAND --help' for a worked example of each command."})
public final class E2eNetCommand implements Runnable {
    /** Exit code of a failed check. */
    public static final int CHECK_FAILED = CommandLineErrors.CHECK_FAILED;
    /** Exit code of bad input. */
    public static final int BAD_INPUT = CommandLineErrors.BAD_INPUT;
    /** Exit code of an internal error. */
    public static final int INTERNAL_ERROR = CommandLineErrors.INTERNAL_ERROR;
    /** How errors are reported; a diverged training is a failed check, not an internal error. */
    private static final CommandLineErrors ERRORS = new CommandLineErrors("e2enet", TrainingDivergedException.class);

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Show stack traces of errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command line with our error handling. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new E2eNetCommand());
        cl.setExecutionExceptionHandler(E2eNetCommand::handle);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.registerConverter(org.e2enet.runtime.Backend.class, org.e2enet.runtime.Backend::parse);
        cl.registerConverter(java.nio.file.Path.class, E2eNetCommand::path);
        cl.setParameterExceptionHandler(E2eNetCommand::handleParameterError);
        return cl;
    }

    /** A path argument; one the platform cannot represent (non-ASCII under LC_ALL=C) is a one-line error. */
    private static java.nio.file.Path path(String value) {
        try {
            return java.nio.file.Path.of(value);
        } catch (java.nio.file.InvalidPathException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a path this system can represent (" + e.getReason()
                    + "); non-ASCII file names need a UTF-8 locale, e.g. LC_ALL=C.UTF-8");
        }
    }

    /** A mistyped command line: one line saying what is wrong and where the help is, not the whole usage. */
    private static int handleParameterError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        ConsoleProgress.endLine(err);
        err.println("e2enet: " + e.getMessage().lines().findFirst().orElse("") + " (see '" + cl.getCommandSpec().qualifiedName()
                + " --help')");
        err.flush();
        return BAD_INPUT;
    }

    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        ConsoleProgress.endLine(cl.getErr());
        // --debug is inherited: it may have been given to the top command or to a subcommand
        boolean debug = parsed.hasMatchedOption("--debug") || parsed.subcommands().stream().anyMatch(s -> s.hasMatchedOption("--debug"));
        return ERRORS.report(e, debug, cl.getErr());
    }

    /** Runs the command and exits with its code. */
    public static void main(String[] args) {
        int code;
        TensorRtConsoleLog.install();
        try {
            code = commandLine().execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println("e2enet: out of memory; give the JVM more with JAVA_OPTS=-Xmx<size>");
            code = INTERNAL_ERROR;
        }
        System.exit(code);
    }
}
