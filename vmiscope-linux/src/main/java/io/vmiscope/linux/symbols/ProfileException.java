package io.vmiscope.linux.symbols;

/**
 * A kernel's symbol information could not be read (a kernel image, its BTF, an ISF file, a cached profile) or
 * lacks what a caller needs (a symbol, a struct, a member); the message is one line naming the file or the
 * missing name.
 */
public class ProfileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProfileException(String message) {
        super(message);
    }

    public ProfileException(String message, Throwable cause) {
        super(message, cause);
    }
}
