package io.vmiscope.guest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Debian archive mirror this host's apt uses, read from {@code /etc/apt/sources.list} and
 * {@code /etc/apt/sources.list.d/} (one-line {@code deb URL SUITE …} and deb822 {@code URIs:} forms): the
 * first {@code http(s)} URL of a {@code debian} archive that is not the security archive. Stateless.
 */
final class AptMirror {

    /** Where the search starts when the host's sources name no Debian mirror. */
    static final String FALLBACK = "http://deb.debian.org/debian";

    private AptMirror() {
    }

    /** The mirror of the sources under {@code aptDir} (normally {@code /etc/apt}), or {@link #FALLBACK}. */
    static String of(Path aptDir) {
        List<Path> files = new ArrayList<>();
        files.add(aptDir.resolve("sources.list"));
        Path dir = aptDir.resolve("sources.list.d");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> list = Files.list(dir)) {
                list.filter(p -> p.toString().endsWith(".list") || p.toString().endsWith(".sources")).sorted()
                        .forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
            }
        }
        for (Path file : files) {
            Optional<String> found = inFile(file);
            if (found.isPresent()) {
                return found.get();
            }
        }
        return FALLBACK;
    }

    private static Optional<String> inFile(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Files.readAllLines(file).stream().map(String::strip)
                    .filter(l -> l.startsWith("deb ") || l.startsWith("URIs:"))
                    .flatMap(l -> Stream.of(l.split("\\s+")))
                    .filter(AptMirror::isDebianMirror).findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code http(s)://HOST/…/debian}, not {@code …/debian-security}, no options or credentials. */
    static boolean isDebianMirror(String word) {
        return word.matches("https?://[A-Za-z0-9.:-]+(/[A-Za-z0-9._~-]+)*/debian/?");
    }
}
