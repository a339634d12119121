package io.vmiscope.store;

import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Test-only program for {@link InputFileCheckTest}: runs {@link InputFileCheck#check} on its argument in a JVM of
 * another user, and prints {@code ok} or the error's message. Depends on nothing but that class and the JDK.
 */
public final class InputFileCheckMain {

    private InputFileCheckMain() {
    }

    public static void main(String[] args) {
        try {
            InputFileCheck.check(Path.of(args[0]));
            System.out.println("ok");
        } catch (UncheckedIOException e) {
            System.out.println(e.getMessage());
        }
    }
}
