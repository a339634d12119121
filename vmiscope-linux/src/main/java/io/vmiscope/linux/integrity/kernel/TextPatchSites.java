package io.vmiscope.linux.integrity.kernel;

import io.vmiscope.linux.image.ElfFile;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.symbols.KernelSymbol;
import io.vmiscope.linux.symbols.ProfileException;
import io.vmiscope.linux.symbols.StructLayout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The byte ranges of kernel text that the kernel itself rewrites at run time, read from the image's
 * patch tables (link-time addresses). The tables are located by their kallsyms bounds
 * ({@code __alt_instructions}…{@code _end}, {@code __start___jump_table}…) and their entries are
 * decoded with the BTF layouts of {@code struct alt_instr}, {@code paravirt_patch_site},
 * {@code jump_entry} and {@code static_call_site}, so entry sizes follow the kernel version. A table the
 * kernel lacks contributes no sites. Sites outside the compared text range are dropped. Immutable and
 * thread-safe.
 *
 * <p>How long a site is: an alternative or paravirt site as long as its table says; a retpoline site is
 * the call/jump it holds in the image (5 bytes, 6 for a {@code jcc} or a {@code cs}-prefixed one); a
 * return-thunk, ftrace, static-call or 5-byte jump-label site 5 bytes; a 2-byte jump label ({@code jmp
 * rel8} or {@code 66 90}) 2; a lock prefix 1.
 */
public final class TextPatchSites {

    /** Most bytes one patch table may span: 6.1's largest (the return sites) is about 200 KiB. */
    static final int MAX_TABLE_BYTES = 16 << 20;
    private static final int CALL_BYTES = 5;

    private final long[] starts;
    private final long[] ends;
    private final PatchClass[] classes;
    private final long[] targets;
    /** {@code reach[i]} = the largest end among sites 0..i: bounds the backward search of {@link #classAt}. */
    private final long[] reach;
    private final Map<PatchClass, Integer> counts;

    /** {@code target}: where a jump label's jump leads (link-time), 0 for other classes. */
    private record Site(long start, long end, PatchClass patchClass, long target) {
    }

    private TextPatchSites(List<Site> sites) {
        sites.sort(Comparator.comparingLong(Site::start));
        int n = sites.size();
        starts = new long[n];
        ends = new long[n];
        classes = new PatchClass[n];
        targets = new long[n];
        reach = new long[n];
        Map<PatchClass, Integer> tally = new EnumMap<>(PatchClass.class);
        for (int i = 0; i < n; i++) {
            Site site = sites.get(i);
            starts[i] = site.start;
            ends[i] = site.end;
            classes[i] = site.patchClass;
            targets[i] = site.target;
            reach[i] = i == 0 ? site.end : Math.max(reach[i - 1], site.end);
            tally.merge(site.patchClass, 1, Integer::sum);
        }
        counts = Map.copyOf(tally);
    }

    /**
     * Reads every patch table of the image.
     *
     * @param textStart first link-time address compared ({@code _stext})
     * @param textEnd   first link-time address past it ({@code _etext})
     * @throws ProfileException when a table's bounds are reversed or implausibly large, or a site's bytes are
     *                          not in the image
     */
    public static TextPatchSites read(ElfFile image, KernelProfile profile, long textStart, long textEnd) {
        Reader reader = new Reader(image, profile, textStart, textEnd);
        reader.alternatives();
        reader.paravirt();
        reader.relativeSites("__retpoline_sites", "__retpoline_sites_end", PatchClass.RETPOLINE);
        reader.relativeSites("__return_sites", "__return_sites_end", PatchClass.RETURN_THUNK);
        reader.relativeSites("__smp_locks", "__smp_locks_end", PatchClass.SMP_LOCK);
        reader.jumpLabels();
        reader.ftrace();
        reader.staticCalls();
        return new TextPatchSites(reader.sites);
    }

    /** Sites built by hand (tests): each {@code {start, length}} or {@code {start, length, jump target}} of one class. */
    static TextPatchSites of(Map<PatchClass, List<long[]>> sites) {
        List<Site> all = new ArrayList<>();
        sites.forEach((kind, ranges) -> ranges.forEach(r -> all.add(new Site(r[0], r[0] + r[1], kind, r.length > 2 ? r[2] : 0))));
        return new TextPatchSites(all);
    }

    /** The class of a site covering the link-time address, or empty when no run-time patch touches it. */
    public Optional<PatchClass> classAt(long address) {
        int site = siteAt(address, null);
        return site < 0 ? Optional.empty() : Optional.of(classes[site]);
    }

    /**
     * The index of a site covering the link-time address and not {@code rejected}, or -1.
     *
     * @param rejected per site index, true for sites to disregard; {@code null} for none
     */
    int siteAt(long address, boolean[] rejected) {
        int low = 0;
        int high = starts.length - 1;
        int floor = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (starts[mid] <= address) {
                floor = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        for (int i = floor; i >= 0 && reach[i] > address; i--) {
            if (ends[i] > address && (rejected == null || !rejected[i])) {
                return i;
            }
        }
        return -1;
    }

    /** Number of sites. */
    int size() {
        return starts.length;
    }

    /** Link-time address of site {@code i} (sites in address order). */
    long start(int i) {
        return starts[i];
    }

    int length(int i) {
        return (int) (ends[i] - starts[i]);
    }

    PatchClass classOf(int i) {
        return classes[i];
    }

    /** Where jump label {@code i}'s jump leads (link-time); 0 for other classes. */
    long target(int i) {
        return targets[i];
    }

    /** How many sites of each class lie in the compared text (classes without sites absent). */
    public Map<PatchClass, Integer> siteCounts() {
        return counts;
    }

    @Override
    public String toString() {
        return "TextPatchSites" + counts;
    }

    /** Collects the sites of one image. */
    private static final class Reader {
        private final ElfFile image;
        private final KernelProfile profile;
        private final long textStart;
        private final long textEnd;
        private final List<Site> sites = new ArrayList<>();

        Reader(ElfFile image, KernelProfile profile, long textStart, long textEnd) {
            this.image = image;
            this.profile = profile;
            this.textStart = textStart;
            this.textEnd = textEnd;
        }

        void alternatives() {
            table("__alt_instructions", "__alt_instructions_end", "alt_instr").ifPresent(t -> t.forEach(entry -> {
                long field = t.member("instr_offset");
                add(entry.address + field + entry.s32(field), entry.u8(t.member("instrlen")), PatchClass.ALTERNATIVE);
            }));
        }

        void paravirt() {
            table("__parainstructions", "__parainstructions_end", "paravirt_patch_site").ifPresent(t ->
                    t.forEach(entry -> add(entry.u64(t.member("instr")), entry.u8(t.member("len")), PatchClass.PARAVIRT)));
        }

        /** A table of {@code s32} offsets, each relative to its own address ({@code .long site - .}). */
        void relativeSites(String first, String end, PatchClass kind) {
            bounds(first, end).ifPresent(range -> {
                for (long at = range[0]; at + Integer.BYTES <= range[1]; at += Integer.BYTES) {
                    long site = at + image.bytesAt(at, Integer.BYTES).getInt(0);
                    add(site, switch (kind) {
                        case RETPOLINE -> branchLength(site);
                        case SMP_LOCK -> 1;
                        default -> CALL_BYTES;
                    }, kind);
                }
            });
        }

        void jumpLabels() {
            table("__start___jump_table", "__stop___jump_table", "jump_entry").ifPresent(t -> t.forEach(entry -> {
                long code = t.member("code");
                long target = t.member("target");
                long site = entry.address + code + entry.s32(code);
                add(site, jumpLabelLength(site), PatchClass.JUMP_LABEL, entry.address + target + entry.s32(target));
            }));
        }

        void ftrace() {
            bounds("__start_mcount_loc", "__stop_mcount_loc").ifPresent(range -> {
                ByteBuffer table = image.bytesAt(range[0], (int) (range[1] - range[0]));
                for (int at = 0; at + Long.BYTES <= table.limit(); at += Long.BYTES) {
                    add(table.getLong(at), CALL_BYTES, PatchClass.FTRACE);
                }
            });
        }

        void staticCalls() {
            table("__start_static_call_sites", "__stop_static_call_sites", "static_call_site").ifPresent(t ->
                    t.forEach(entry -> {
                        long field = t.member("addr");
                        add(entry.address + field + entry.s32(field), CALL_BYTES, PatchClass.STATIC_CALL);
                    }));
            for (KernelSymbol symbol : profile.allSymbols()) {
                if (symbol.name().startsWith("__SCT__")) {
                    add(symbol.address(), CALL_BYTES, PatchClass.STATIC_CALL);
                }
            }
        }

        /** {@code call}/{@code jmp rel32} (5 bytes), {@code jcc rel32} (6), either after a {@code cs} prefix (+1). */
        private int branchLength(long site) {
            if (!inText(site)) {
                return CALL_BYTES;
            }
            ByteBuffer code = image.bytesAt(site, 3);
            int prefix = code.limit() > 0 && (code.get(0) & 0xff) == 0x2e ? 1 : 0;
            boolean jcc = code.limit() > prefix + 1 && (code.get(prefix) & 0xff) == 0x0f;
            return prefix + (jcc ? 6 : CALL_BYTES);
        }

        /** {@code jmp rel8} ({@code eb}) and the 2-byte NOP ({@code 66 90}) are 2 bytes; the rest 5. */
        private int jumpLabelLength(long site) {
            if (!inText(site)) {
                return CALL_BYTES;
            }
            ByteBuffer code = image.bytesAt(site, 2);
            int first = code.limit() > 0 ? code.get(0) & 0xff : 0;
            int second = code.limit() > 1 ? code.get(1) & 0xff : 0;
            return first == 0xeb || first == 0x66 && second == 0x90 ? 2 : CALL_BYTES;
        }

        private void add(long start, int length, PatchClass kind) {
            add(start, length, kind, 0);
        }

        private void add(long start, int length, PatchClass kind, long target) {
            if (inText(start) && length > 0) {
                sites.add(new Site(start, start + length, kind, target));
            }
        }

        private boolean inText(long address) {
            return address >= textStart && address < textEnd;
        }

        private Optional<long[]> bounds(String first, String end) {
            OptionalLong from = profile.findSymbol(first);
            OptionalLong to = profile.findSymbol(end);
            if (from.isEmpty() || to.isEmpty()) {
                return Optional.empty();
            }
            long size = to.getAsLong() - from.getAsLong();
            if (size < 0 || size > MAX_TABLE_BYTES) {
                throw new ProfileException(first + ".." + end + " spans " + size + " bytes, not a patch table");
            }
            return Optional.of(new long[] {from.getAsLong(), to.getAsLong()});
        }

        private Optional<Table> table(String first, String end, String struct) {
            Optional<StructLayout> layout = profile.findStruct(struct);
            if (layout.isEmpty() || layout.get().sizeBytes() <= 0) {
                return Optional.empty();
            }
            return bounds(first, end).map(range -> new Table(image.bytesAt(range[0], (int) (range[1] - range[0])),
                    range[0], layout.get()));
        }
    }

    /** A table of fixed-size structs in the image. */
    private record Table(ByteBuffer bytes, long address, StructLayout layout) {

        long member(String name) {
            return layout.offsetOf(name);
        }

        void forEach(java.util.function.Consumer<Entry> action) {
            int size = (int) layout.sizeBytes();
            for (int at = 0; at + size <= bytes.limit(); at += size) {
                action.accept(new Entry(bytes, at, address + at));
            }
        }
    }

    /** One struct of a {@link Table}: fields by offset. */
    private record Entry(ByteBuffer bytes, int offset, long address) {

        long s32(long field) {
            return bytes.getInt(offset + (int) field);
        }

        int u8(long field) {
            return bytes.get(offset + (int) field) & 0xff;
        }

        long u64(long field) {
            return bytes.getLong(offset + (int) field);
        }
    }
}
