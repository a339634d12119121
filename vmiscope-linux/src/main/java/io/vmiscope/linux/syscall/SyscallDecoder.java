package io.vmiscope.linux.syscall;

import io.vmiscope.api.Hex;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns the six argument registers of a system call into {@link DecodedArg}s, reading what the
 * arguments point to in the caller's user memory.
 *
 * <p>User memory is hostile input. Every read is bounded by {@link DecodeLimits} (never by a length
 * the guest supplies), pointers outside user space are not followed (the kernel would refuse them
 * too), and a fault never escapes: the argument says {@code <unreadable 0x…>} and is marked. Only
 * infrastructure failures of the {@link UserMemory} (a closed transport) propagate.
 *
 * <p>Cost: the first read of every pointer argument (a string up to the end of its page, a sockaddr,
 * a buffer preview, the start of an argv array) goes out as one batch; strings continue onto further
 * pages only when no NUL was found, and argv strings are read in one batch per page round. An
 * {@code openat} costs one round trip, an {@code execve} about three.
 *
 * <p>Argv: an entry whose pointer is unreadable is shown as {@code <unreadable 0x…>} and the decoder
 * goes on with the next one (the kernel would fail the call with {@code EFAULT}; the rest still shows
 * what the caller meant). An unreadable array itself ends the list there. Stateless and thread-safe.
 */
public final class SyscallDecoder {

    private static final String NULL = "NULL";

    private SyscallDecoder() {
    }

    /**
     * Decodes the arguments of {@code syscall} by its {@link SyscallSignature#of signature} (six raw
     * hex arguments when unknown).
     *
     * @param args the argument registers {@code di, si, dx, r10, r8, r9}, see {@link PtRegsLayout#arguments}
     */
    public static List<DecodedArg> decode(String syscall, long[] args, UserMemory memory, DecodeLimits limits) {
        return decode(SyscallSignature.of(syscall), args, memory, limits);
    }

    /** Decodes {@code args} by an explicit signature. */
    public static List<DecodedArg> decode(SyscallSignature signature, long[] args, UserMemory memory,
                                          DecodeLimits limits) {
        if (args.length < signature.params().size()) {
            throw new IllegalArgumentException(signature.name() + " needs " + signature.params().size()
                    + " argument registers, got " + args.length);
        }
        UserReader reader = new UserReader(memory);
        List<SyscallSignature.Param> params = signature.params();
        List<UserMemory.Range> first = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            firstRead(params.get(i), args[i], args, limits, reader).ifPresent(first::add);
        }
        reader.prefetch(first);
        List<DecodedArg> decoded = new ArrayList<>(params.size());
        for (int i = 0; i < params.size(); i++) {
            decoded.add(decodeOne(params.get(i), args[i], args, limits, reader));
        }
        return decoded;
    }

    /** The read each pointer argument starts with, so that all of them go out as one batch. */
    private static Optional<UserMemory.Range> firstRead(SyscallSignature.Param param, long address, long[] args,
                                                        DecodeLimits limits, UserReader reader) {
        return switch (param.type()) {
            case PATH -> reader.firstStringRange(address, limits.maxPathBytes());
            case STRING -> reader.firstStringRange(address, limits.maxStringBytes());
            case ARGV, ENVP -> reader.firstArrayRange(address, limits.maxArgvEntries());
            case SOCKADDR -> reader.range(address, Math.min(lengthOf(param, args), Sockaddrs.MAX_BYTES));
            case SOCKADDR_LEN_PTR -> reader.range(address, Integer.BYTES);
            case BUFFER -> reader.range(address, Math.min(lengthOf(param, args), limits.previewBytes()));
            default -> Optional.empty();
        };
    }

    /** The length argument of a BUFFER ({@code size_t}) or SOCKADDR ({@code socklen_t}), never negative. */
    private static long lengthOf(SyscallSignature.Param param, long[] args) {
        long raw = args[param.lengthIndex()];
        if (param.type() == ArgType.SOCKADDR) {
            return Integer.toUnsignedLong((int) raw);
        }
        return raw < 0 ? Long.MAX_VALUE : raw;
    }

    private static DecodedArg decodeOne(SyscallSignature.Param param, long raw, long[] args, DecodeLimits limits,
                                        UserReader reader) {
        return switch (param.type()) {
            case FD, PID, INT -> plain(param, raw, String.valueOf((int) raw));
            case UINT -> plain(param, raw, Integer.toUnsignedString((int) raw));
            case SIZE -> plain(param, raw, Long.toUnsignedString(raw));
            case LONG -> plain(param, raw, String.valueOf(raw));
            case PTR -> plain(param, raw, raw == 0 ? NULL : "0x" + Long.toHexString(raw));
            case HEX -> plain(param, raw, raw == 0 ? "0" : "0x" + Long.toHexString(raw));
            case DIRFD -> plain(param, raw, Flags.dirfd(raw));
            case OPEN_FLAGS -> plain(param, raw, Flags.openFlags(raw));
            case FD_FLAGS -> plain(param, raw, Flags.fdFlags(raw));
            case MODE -> plain(param, raw, Flags.mode(raw));
            case ACCESS_MODE -> plain(param, raw, Flags.accessMode(raw));
            case AT_FLAGS -> plain(param, raw, Flags.atFlags(raw));
            case CLONE_FLAGS -> plain(param, raw, Flags.cloneFlags(raw));
            case SIGNAL -> plain(param, raw, Flags.signal(raw));
            case SOCKET_DOMAIN -> plain(param, raw, Flags.family(raw));
            case SOCKET_TYPE -> plain(param, raw, Flags.socketType(raw));
            case SOCKET_FLAGS -> plain(param, raw, Flags.socketFlags(raw));
            case MMAP_PROT -> plain(param, raw, Flags.mmapProt(raw));
            case MMAP_FLAGS -> plain(param, raw, Flags.mmapFlags(raw));
            case PATH -> string(param, raw, limits.maxPathBytes(), reader);
            case STRING -> string(param, raw, limits.maxStringBytes(), reader);
            case BUFFER -> buffer(param, raw, lengthOf(param, args), limits, reader);
            case SOCKADDR -> sockaddr(param, raw, lengthOf(param, args), reader);
            case SOCKADDR_LEN_PTR -> lengthPointer(param, raw, reader);
            case ARGV -> argv(param, raw, limits, reader);
            case ENVP -> envp(param, raw, limits, reader);
        };
    }

    private static DecodedArg plain(SyscallSignature.Param param, long raw, String text) {
        return new DecodedArg(param.name(), param.type().name(), raw, text, false, false);
    }

    private static DecodedArg unreadable(SyscallSignature.Param param, long raw) {
        return new DecodedArg(param.name(), param.type().name(), raw, unreadableText(raw), false, true);
    }

    private static String unreadableText(long address) {
        return "<unreadable " + Hex.address(address) + ">";
    }

    private static DecodedArg string(SyscallSignature.Param param, long raw, int cap, UserReader reader) {
        if (raw == 0) {
            return plain(param, raw, NULL);
        }
        UserReader.CString s = reader.strings(List.of(raw), cap).get(0);
        return new DecodedArg(param.name(), param.type().name(), raw, stringText(s, raw), s.truncated(),
                s.unreadable(), s.unreadable() && s.bytesRead() == 0 ? unreadableText(raw) : s.text());
    }

    /** A quoted string, {@code ...} when cut, or the unreadable marker when nothing could be read. */
    private static String stringText(UserReader.CString s, long address) {
        if (s.unreadable() && s.bytesRead() == 0) {
            return unreadableText(address);
        }
        return Escapes.quote(s.text()) + (s.truncated() ? "..." : "");
    }

    private static DecodedArg buffer(SyscallSignature.Param param, long raw, long length, DecodeLimits limits,
                                     UserReader reader) {
        if (raw == 0) {
            return plain(param, raw, NULL);
        }
        int shown = (int) Math.min(length, limits.previewBytes());
        boolean cut = length > shown;
        if (shown == 0) {
            return plain(param, raw, "\"\"");
        }
        Optional<byte[]> bytes = reader.read(raw, shown);
        if (bytes.isPresent()) {
            return new DecodedArg(param.name(), param.type().name(), raw,
                    Escapes.quoteBytes(bytes.get(), shown) + (cut ? "..." : ""), cut, false);
        }
        int firstPage = UserReader.toPageEnd(raw);
        Optional<byte[]> head = firstPage < shown ? reader.read(raw, firstPage) : Optional.empty();
        return head.map(b -> new DecodedArg(param.name(), param.type().name(), raw,
                        Escapes.quoteBytes(b, b.length) + "...", true, true))
                .orElseGet(() -> unreadable(param, raw));
    }

    private static DecodedArg sockaddr(SyscallSignature.Param param, long raw, long length, UserReader reader) {
        if (raw == 0) {
            return plain(param, raw, NULL);
        }
        int readable = (int) Math.min(length, Sockaddrs.MAX_BYTES);
        boolean cut = length > readable;
        if (readable == 0) {
            return new DecodedArg(param.name(), param.type().name(), raw, Sockaddrs.format(new byte[0], 0), false,
                    false);
        }
        return reader.read(raw, readable)
                .map(b -> new DecodedArg(param.name(), param.type().name(), raw,
                        Sockaddrs.format(b, readable) + (cut ? "..." : ""), cut, false))
                .orElseGet(() -> unreadable(param, raw));
    }

    private static DecodedArg lengthPointer(SyscallSignature.Param param, long raw, UserReader reader) {
        if (raw == 0) {
            return plain(param, raw, NULL);
        }
        return reader.read(raw, Integer.BYTES)
                .map(b -> plain(param, raw, "[" + Integer.toUnsignedString(
                        (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24) + "]"))
                .orElseGet(() -> unreadable(param, raw));
    }

    private static DecodedArg argv(SyscallSignature.Param param, long raw, DecodeLimits limits, UserReader reader) {
        if (raw == 0) {
            return plain(param, raw, NULL);
        }
        UserReader.PointerArray array = reader.pointers(raw, limits.maxArgvEntries());
        if (array.unreadable() && array.pointers().isEmpty()) {
            return unreadable(param, raw);
        }
        List<UserReader.CString> strings = reader.strings(array.pointers(), limits.maxArgvStringBytes());
        StringBuilder text = new StringBuilder("[");
        boolean truncated = !array.terminated() && !array.unreadable();
        boolean unreadable = array.unreadable();
        for (int i = 0; i < strings.size(); i++) {
            UserReader.CString s = strings.get(i);
            text.append(i == 0 ? "" : ", ").append(stringText(s, array.pointers().get(i)));
            truncated |= s.truncated();
            unreadable |= s.unreadable();
        }
        if (!array.terminated()) {
            text.append(strings.isEmpty() ? "" : ", ")
                    .append(array.unreadable() ? unreadableText(raw + (long) strings.size() * Long.BYTES) : "...");
        }
        return new DecodedArg(param.name(), param.type().name(), raw, text.append(']').toString(), truncated,
                unreadable);
    }

    private static DecodedArg envp(SyscallSignature.Param param, long raw, DecodeLimits limits, UserReader reader) {
        if (raw == 0) {
            return plain(param, raw, NULL);
        }
        UserReader.PointerArray array = reader.pointers(raw, limits.maxArgvEntries());
        if (array.unreadable() && array.pointers().isEmpty()) {
            return unreadable(param, raw);
        }
        int count = array.pointers().size();
        String suffix = array.terminated() ? "" : "+";
        String text = "0x" + Long.toHexString(raw) + " /* " + count + suffix + (count == 1 && suffix.isEmpty()
                ? " var */" : " vars */");
        return new DecodedArg(param.name(), param.type().name(), raw, text, !array.terminated() && !array.unreadable(),
                array.unreadable());
    }
}
