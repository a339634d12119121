package io.vmiscope.linux.syscall;

import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.symbols.KernelSymbol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The system calls of one kernel build: which entry function serves each name, from the profile's
 * symbols, numbered by the x86-64 table. Immutable and thread-safe.
 *
 * <ul>
 *   <li>Every name of x86-64's table whose entry function {@code __x64_sys_<entry>} is in the profile
 *       ({@code stat} is served by {@code __x64_sys_newstat}, {@code umount2} by
 *       {@code __x64_sys_umount}).</li>
 *   <li>Every other {@code __x64_sys_<name>} symbol, without a number (compatibility variants such as
 *       {@code chown16}, weak stubs of other architectures' calls). They can be traced by name but are
 *       not part of {@code all}.</li>
 *   <li>{@code __ia32_sys_<name>} and {@code __ia32_compat_sys_<name>} as {@link #ia32()} entries.</li>
 * </ul>
 *
 * <p>{@link #verifyLive} checks the guest's {@code sys_call_table} against the same profile.
 */
public final class SyscallTable {

    private static final String X64_PREFIX = "__x64_sys_";
    private static final String IA32_PREFIX = "__ia32_sys_";
    private static final String IA32_COMPAT_PREFIX = "__ia32_compat_sys_";
    /** Where x86-64's table sends every number without an implementation. */
    static final String NI_SYSCALL = X64_PREFIX + "ni_syscall";
    private static final String ALL = "all";
    private static final int MAX_SUGGESTIONS = 5;

    private final String source;
    private final Map<String, Syscall> x64;
    private final List<Syscall> ia32;
    private final Map<String, String> missing;

    private SyscallTable(String source, Map<String, Syscall> x64, List<Syscall> ia32, Map<String, String> missing) {
        this.source = source;
        this.x64 = Collections.unmodifiableMap(x64);
        this.ia32 = List.copyOf(ia32);
        this.missing = Collections.unmodifiableMap(missing);
    }

    /** The system calls the profile's kernel implements. */
    public static SyscallTable fromProfile(KernelProfile profile) {
        Map<String, Syscall> x64 = new LinkedHashMap<>();
        Map<String, String> missing = new LinkedHashMap<>();
        Set<String> tableEntries = new HashSet<>();
        for (X64Syscalls.Row row : X64Syscalls.rows()) {
            row.entry().ifPresent(tableEntries::add);
            if (row.entry().isEmpty()) {
                missing.put(row.name(), "x86-64 reserves number " + row.number() + " without implementing it");
                continue;
            }
            String symbol = X64_PREFIX + row.entry().get();
            OptionalInt number = OptionalInt.of(row.number());
            profile.findSymbol(symbol).ifPresentOrElse(
                    address -> x64.put(row.name(), new Syscall(row.name(), number, Syscall.Abi.X64, symbol, address,
                            row.groups())),
                    () -> missing.put(row.name(), "this kernel has no " + symbol));
        }
        List<Syscall> extra = new ArrayList<>();
        List<Syscall> ia32 = new ArrayList<>();
        for (KernelSymbol symbol : profile.allSymbols()) {
            String name = symbol.name();
            if (name.startsWith(X64_PREFIX)) {
                String rest = name.substring(X64_PREFIX.length());
                if (isPlainName(rest) && !tableEntries.contains(rest) && !missing.containsKey(rest)
                        && !x64.containsKey(rest) && !name.equals(NI_SYSCALL)) {
                    extra.add(new Syscall(rest, OptionalInt.empty(), Syscall.Abi.X64, name, symbol.address(), Set.of()));
                }
            } else if (name.startsWith(IA32_COMPAT_PREFIX) && isPlainName(name.substring(IA32_COMPAT_PREFIX.length()))) {
                ia32.add(new Syscall(name.substring(IA32_COMPAT_PREFIX.length()), OptionalInt.empty(),
                        Syscall.Abi.IA32_COMPAT, name, symbol.address(), Set.of()));
            } else if (name.startsWith(IA32_PREFIX) && isPlainName(name.substring(IA32_PREFIX.length()))) {
                ia32.add(new Syscall(name.substring(IA32_PREFIX.length()), OptionalInt.empty(), Syscall.Abi.IA32,
                        name, symbol.address(), Set.of()));
            }
        }
        extra.sort(Comparator.comparing(Syscall::name));
        extra.forEach(s -> x64.put(s.name(), s));
        ia32.sort(Comparator.comparing(Syscall::name).thenComparing(Syscall::abi));
        return new SyscallTable(profile.source(), x64, ia32, missing);
    }

    /** Compiler-split parts such as {@code gethostname.cold} are not entry functions. */
    private static boolean isPlainName(String name) {
        return !name.isEmpty() && name.chars().allMatch(c -> c == '_' || Character.isLetterOrDigit(c));
    }

    /** The x86-64 number of a system call name, from the static table (independent of any kernel). */
    public static OptionalInt numberOf(String name) {
        return X64Syscalls.byName(name).map(r -> OptionalInt.of(r.number())).orElse(OptionalInt.empty());
    }

    /** The x86-64 name of a system-call number, from the static table. */
    public static Optional<String> nameOf(int number) {
        return X64Syscalls.byNumber(number).map(X64Syscalls.Row::name);
    }

    /** The 64-bit system call of that name in this kernel. */
    public Optional<Syscall> find(String name) {
        return Optional.ofNullable(x64.get(name));
    }

    /** The 64-bit system call with that number in this kernel. */
    public Optional<Syscall> byNumber(int number) {
        return nameOf(number).flatMap(this::find);
    }

    /** Every 64-bit entry: numbered ones in number order, then the unnumbered ones by name. */
    public Collection<Syscall> all() {
        return x64.values();
    }

    /** The 32-bit entry functions ({@code __ia32_sys_*}, {@code __ia32_compat_sys_*}), by name. */
    public List<Syscall> ia32() {
        return ia32;
    }

    /** Why a name of the x86-64 table has no entry in this kernel, or empty when it has one. */
    public Optional<String> whyMissing(String name) {
        return Optional.ofNullable(missing.get(name));
    }

    /** Names of this kernel's numbered 64-bit calls in {@code group}, in number order. */
    public Set<String> group(SyscallGroup group) {
        return numbered().filter(s -> s.groups().contains(group)).map(Syscall::name)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /**
     * The slots the guest's {@code sys_call_table} has: one past the highest number this kernel
     * implements ({@code __NR_syscalls}; 451 for Linux 6.1). Read that many 8-byte pointers for
     * {@link #verifyLive}.
     */
    public int liveTableEntries() {
        return numbered().mapToInt(s -> s.number().getAsInt()).max().orElse(-1) + 1;
    }

    private Stream<Syscall> numbered() {
        return x64.values().stream().filter(s -> s.number().isPresent());
    }

    /**
     * Parses a strace-like selection: comma-separated system-call names and group labels
     * ({@code "file"}, {@code "%network"}, {@code "all"}), e.g. {@code "openat,execve"} or
     * {@code "file,network"}. Groups and {@code all} expand to the numbered calls this kernel has.
     *
     * @return the selected names, numbered ones in number order first
     * @throws IllegalArgumentException with a one-line message for an empty spec, an unknown name (with
     *         close matches) or a name this kernel lacks (with the reason)
     */
    public Set<String> select(String spec) {
        Set<String> chosen = new LinkedHashSet<>();
        List<String> items = Stream.of(spec.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (items.isEmpty()) {
            throw new IllegalArgumentException("empty syscall selection '" + spec + "': give names or groups ("
                    + groupLabels() + ")");
        }
        for (String item : items) {
            String label = item.startsWith("%") ? item.substring(1) : item;
            Optional<SyscallGroup> group = SyscallGroup.fromLabel(label);
            if (label.equals(ALL)) {
                numbered().forEach(s -> chosen.add(s.name()));
            } else if (group.isPresent()) {
                chosen.addAll(group(group.get()));
            } else if (x64.containsKey(item)) {
                chosen.add(item);
            } else if (missing.containsKey(item)) {
                throw new IllegalArgumentException("syscall '" + item + "' cannot be traced in " + source + ": "
                        + missing.get(item));
            } else {
                throw new IllegalArgumentException("unknown syscall or group '" + item + "'" + suggestions(item));
            }
        }
        Set<String> ordered = new LinkedHashSet<>();
        x64.keySet().stream().filter(chosen::contains).forEach(ordered::add);
        return Collections.unmodifiableSet(ordered);
    }

    private String suggestions(String item) {
        Set<String> candidates = new TreeSet<>(x64.keySet());
        candidates.addAll(missing.keySet());
        Stream.of(SyscallGroup.values()).map(SyscallGroup::label).forEach(candidates::add);
        candidates.add(ALL);
        int threshold = Math.max(2, item.length() / 3);
        List<String> close = candidates.stream()
                .filter(c -> editDistance(item, c) <= threshold || (item.length() >= 3 && c.startsWith(item)))
                .sorted(Comparator.comparingInt((String c) -> editDistance(item, c)).thenComparing(c -> c))
                .limit(MAX_SUGGESTIONS).toList();
        return close.isEmpty() ? " (groups: " + groupLabels() + ")" : "; did you mean " + String.join(", ", close) + "?";
    }

    private static String groupLabels() {
        return Stream.concat(Stream.of(SyscallGroup.values()).map(SyscallGroup::label), Stream.of(ALL))
                .collect(Collectors.joining(", "));
    }

    /** Levenshtein distance (the inputs are short names). */
    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /**
     * Resolves the guest's {@code sys_call_table} against the profile and reports every slot that
     * does not point exactly at the function this build puts there.
     *
     * @param sysCallTable the table's bytes as read from the guest (little-endian 64-bit pointers;
     *                     a trailing partial pointer is ignored). The caller reads
     *                     {@link #liveTableEntries()} × 8 bytes at {@code sys_call_table} + slide.
     * @param slide        the KASLR slide (live address − link-time address)
     */
    public static LiveSyscallTable verifyLive(KernelProfile profile, byte[] sysCallTable, long slide) {
        return verifyLive(profile, new SymbolIndex(profile), sysCallTable, slide);
    }

    /**
     * {@link #verifyLive} with the profile's symbol index built once, for a caller that verifies the same kernel
     * again and again (building the index over every kallsyms symbol costs far more than a verification).
     */
    public static BiFunction<byte[], Long, LiveSyscallTable> liveVerifier(KernelProfile profile) {
        SymbolIndex index = new SymbolIndex(profile);
        return (sysCallTable, slide) -> verifyLive(profile, index, sysCallTable, slide);
    }

    private static LiveSyscallTable verifyLive(KernelProfile profile, SymbolIndex index, byte[] sysCallTable,
                                               long slide) {
        ByteBuffer buffer = ByteBuffer.wrap(sysCallTable).order(ByteOrder.LITTLE_ENDIAN);
        List<LiveSyscallTable.Entry> entries = new ArrayList<>();
        List<SyscallHookFinding> findings = new ArrayList<>();
        for (int number = 0; number < sysCallTable.length / Long.BYTES; number++) {
            long address = buffer.getLong(number * Long.BYTES);
            String expected = expectedEntry(profile, number);
            String actual = index.describe(address - slide, expected);
            LiveSyscallTable.Entry entry = new LiveSyscallTable.Entry(number, address, actual, expected);
            entries.add(entry);
            if (!entry.isExpected()) {
                findings.add(new SyscallHookFinding(number, expected, address, actual));
            }
        }
        return new LiveSyscallTable(entries, findings);
    }

    /**
     * The entry function this kernel build dispatches system call {@code number} to:
     * {@code __x64_sys_<entry>}, or {@code __x64_sys_ni_syscall} for a number it does not implement.
     */
    public static String expectedEntry(KernelProfile profile, int number) {
        return X64Syscalls.byNumber(number).flatMap(X64Syscalls.Row::entry).map(e -> X64_PREFIX + e)
                .filter(s -> profile.findSymbol(s).isPresent()).orElse(NI_SYSCALL);
    }

    @Override
    public String toString() {
        return "SyscallTable[" + source + ": " + x64.size() + " x64, " + ia32.size() + " ia32]";
    }
}
