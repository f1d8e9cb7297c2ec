package org.e2enet.core.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The words a setting's enum is written as in JSON and on the command line: its constant's name in lower case.
 * One place for the spelling and for the message a word outside the enum gets.
 */
final class SettingLabels {
    private SettingLabels() {
    }

    /** The word for {@code value}. */
    static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The constant of {@code type} written as {@code word}.
     *
     * @param field the setting's name in messages, e.g. {@code dsff.regrow}
     * @throws IllegalArgumentException naming the words allowed when {@code word} is none of them
     */
    static <E extends Enum<E>> E parse(Class<E> type, String field, String word) {
        for (E e : type.getEnumConstants()) {
            if (label(e).equals(word)) {
                return e;
            }
        }
        throw new IllegalArgumentException(field + " must be " + allowed(type) + ", got '" + word + "'");
    }

    /** Refuses a missing value with the same message as a wrong word. */
    static <E extends Enum<E>> E require(Class<E> type, String field, E value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must be " + allowed(type) + ", got 'null'");
        }
        return value;
    }

    /** "'a' or 'b'", "'a', 'b' or 'c'". */
    private static <E extends Enum<E>> String allowed(Class<E> type) {
        String[] words = Arrays.stream(type.getEnumConstants()).map(e -> "'" + label(e) + "'").toArray(String[]::new);
        String head = Arrays.stream(words, 0, words.length - 1).collect(Collectors.joining(", "));
        return words.length == 1 ? words[0] : head + " or " + words[words.length - 1];
    }
}
