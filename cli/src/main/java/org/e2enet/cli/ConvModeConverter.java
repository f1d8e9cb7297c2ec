package org.e2enet.cli;

import java.util.Arrays;
import java.util.Locale;
import org.e2enet.trainer.nn.ConvMode;
import picocli.CommandLine;

/** {@code --conv}: a {@link ConvMode} by its label ({@code auto}, {@code conv3d}, {@code conv3d-padded}, {@code conv2d}). */
final class ConvModeConverter implements CommandLine.ITypeConverter<ConvMode> {
    @Override
    public ConvMode convert(String value) {
        for (ConvMode m : ConvMode.values()) {
            if (m.label().equals(value.toLowerCase(Locale.ROOT).replace('_', '-'))) {
                return m;
            }
        }
        throw new CommandLine.TypeConversionException("'" + value + "' is not a convolution mode (known: "
                + String.join(", ", Arrays.stream(ConvMode.values()).map(ConvMode::label).toList()) + ")");
    }
}
