package io.vmiscope.linux.syscall;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The arguments of one system call: names and {@link ArgType}s in register order
 * ({@code di, si, dx, r10, r8, r9}), and what it returns.
 *
 * @param name    the system call
 * @param params  at most six
 * @param returns the kind of a successful return value
 */
public record SyscallSignature(String name, List<Param> params, ReturnKind returns) {

    /** Registers that carry arguments on x86-64. */
    public static final int MAX_ARGS = 6;

    public SyscallSignature {
        params = List.copyOf(params);
        if (params.size() > MAX_ARGS) {
            throw new IllegalArgumentException(name + ": more than " + MAX_ARGS + " arguments");
        }
        for (Param p : params) {
            boolean needsLength = p.type() == ArgType.BUFFER || p.type() == ArgType.SOCKADDR;
            if (needsLength != (p.lengthIndex() >= 0) || p.lengthIndex() >= params.size()) {
                throw new IllegalArgumentException(name + ": argument " + p.name() + " has a bad length index");
            }
        }
    }

    /**
     * One argument.
     *
     * @param name        as in the man page ({@code "pathname"})
     * @param type        how to show it
     * @param lengthIndex for {@link ArgType#BUFFER} and {@link ArgType#SOCKADDR}: the index of the
     *                    argument holding its length in bytes; -1 otherwise
     */
    public record Param(String name, ArgType type, int lengthIndex) {
    }

    /** The signature of a known system call. */
    public static Optional<SyscallSignature> find(String syscall) {
        return Optional.ofNullable(Prototypes.ALL.get(syscall));
    }

    /** The signature of {@code syscall}, or six raw hex arguments {@code arg0..arg5} for an unknown one. */
    public static SyscallSignature of(String syscall) {
        return find(syscall).orElseGet(() -> raw(syscall));
    }

    /** Six arguments shown in hex, for calls without a known signature. */
    public static SyscallSignature raw(String syscall) {
        List<Param> params = new ArrayList<>();
        for (int i = 0; i < MAX_ARGS; i++) {
            params.add(new Param("arg" + i, ArgType.HEX, -1));
        }
        return new SyscallSignature(syscall, params, ReturnKind.INT);
    }

    /** The names of every system call with a known signature. */
    public static Set<String> known() {
        return Prototypes.ALL.keySet();
    }
}
