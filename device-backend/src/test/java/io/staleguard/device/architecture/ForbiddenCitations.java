package io.staleguard.device.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Text that cites what a user does not have: the project's private seed files (their directory, their
 * hash-named files, their numbered prefixes) and paths of the build machine. Product code and docs cite the
 * public record instead: a thread's subject, author and date, and the commits it names.
 */
public final class ForbiddenCitations {

    /** The seed directory, a hash-named seed file, a numbered-prefix glob, a machine path. */
    public static final List<Pattern> PATTERNS = List.of(
            Pattern.compile("shared/seeds"),
            Pattern.compile("[0-9a-f]{16}\\.txt"),
            Pattern.compile("[0-9]{3}_\\*"),
            Pattern.compile("/work/"));

    private ForbiddenCitations() {
    }

    /**
     * The citations in the files under the given roots (directories are walked, files read as they are), as
     * {@code "path: text"} with the path relative to the project root, each mapped to its first line number.
     */
    public static Map<String, String> in(Collection<Path> roots, ProjectLayout layout) {
        Map<String, String> found = new TreeMap<>();
        for (Path root : roots) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(Files::isRegularFile).sorted().forEach(file -> scan(file, layout, found));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }

    /** The citations in one text, as the matched strings mapped to their first line number. */
    public static Map<String, Integer> inText(String text) {
        Map<String, Integer> found = new TreeMap<>();
        for (Pattern pattern : PATTERNS) {
            Matcher m = pattern.matcher(text);
            while (m.find()) {
                int line = 1 + (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count();
                found.putIfAbsent(m.group(), line);
            }
        }
        return found;
    }

    private static void scan(Path file, ProjectLayout layout, Map<String, String> found) {
        String text;
        try {
            // Latin-1 decodes any byte, so a binary resource cannot fail the scan.
            text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String path = layout.relative(file);
        inText(text).forEach((match, line) -> found.put(path + ": " + match, path + ":" + line));
    }
}
