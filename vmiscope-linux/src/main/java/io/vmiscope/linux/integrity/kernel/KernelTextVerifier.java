package io.vmiscope.linux.integrity.kernel;

import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.Gva;
import io.vmiscope.linux.image.ElfFile;
import io.vmiscope.linux.image.KaslrRelocations;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.symbols.ProfileException;
import io.vmiscope.linux.syscall.SymbolIndex;
import io.vmiscope.linux.walk.ReadPlan;
import io.vmiscope.linux.walk.WalkPacer;
import io.vmiscope.x86.GuestMemory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Compares the running kernel's read-only text ({@code _stext.._etext}) page by page with the same
 * bytes of its image, once the image is relocated for the KASLR slide ({@link KaslrRelocations}) and
 * with the sites of every known run-time patch ({@link TextPatchSites}) left out of the comparison.
 *
 * <pre>
 *   image .text ── relocate(slide) ──▶ expected ──┐
 *   guest memory ── ReadPlan, 64 pages a batch ──▶ live ─┴─▶ byte by byte: equal │ patch site (counted
 *                                                         per class) │ difference (a finding)
 * </pre>
 *
 * <p>The expected text is built once per verifier (about 14 MiB for Debian's 6.1 cloud kernel); each
 * {@link #verify} reads the whole text again into a buffer of the same size, checks what each patch site
 * holds against the forms the kernel writes there ({@link PatchSiteForms}: a site holding anything else
 * is compared like any other byte), then compares. The VM must be stopped while a batch is read: the caller
 * pauses it, the pacer may let it run between batches. Guest memory cannot steer the work: the range
 * comes from the image, a page that cannot be read becomes a finding, and at most {@link #MAX_FINDINGS}
 * pages with {@link #MAX_RUNS_PER_PAGE} runs each are listed. Not thread-safe.
 */
public final class KernelTextVerifier {

    /** Most differing pages listed in one check. */
    public static final int MAX_FINDINGS = 64;
    /** Most differing stretches listed per page. */
    public static final int MAX_RUNS_PER_PAGE = 16;
    /** Most text compared: far above any x86-64 kernel's (Debian's 6.1 has 14 MiB). */
    static final long MAX_TEXT_BYTES = 256L << 20;
    static final int PAGE_BYTES = 4096;
    static final int PAGES_PER_BATCH = 64;

    private final GuestMemory memory;
    private final long slide;
    private final long textStart;
    private final byte[] raw;
    private final byte[] expected;
    private final TextPatchSites sites;
    private final int relocatedWords;
    private final SymbolIndex symbols;
    private final PatchSiteForms forms;
    private final ReadPlan page = ReadPlan.builder(PAGE_BYTES).field(0, PAGE_BYTES).build();

    /**
     * @param image       the kernel's ELF vmlinux (decompressed from its bzImage)
     * @param relocations the image's KASLR relocations ({@code KernelImage.relocations()})
     * @param slide       live address − link-time address
     * @throws ProfileException when the profile lacks {@code _stext}/{@code _etext}, the range is implausible,
     *                          or the image does not hold the text or its patch tables
     */
    public KernelTextVerifier(GuestMemory memory, KernelProfile profile, ElfFile image, KaslrRelocations relocations,
                              long slide) {
        this(memory, profile, image, relocations, slide, null);
    }

    /** As the public constructor, with the patch sites given (tests build them by hand). */
    KernelTextVerifier(GuestMemory memory, KernelProfile profile, ElfFile image, KaslrRelocations relocations,
                       long slide, TextPatchSites sites) {
        this.memory = memory;
        this.slide = slide;
        this.textStart = profile.symbol("_stext");
        long textEnd = profile.symbol("_etext");
        if (textEnd <= textStart || textEnd - textStart > MAX_TEXT_BYTES) {
            throw new ProfileException(profile.source() + ": _stext..._etext spans " + (textEnd - textStart)
                    + " bytes, not a kernel text");
        }
        int length = (int) (textEnd - textStart);
        ByteBuffer text = image.bytesAt(textStart, length);
        if (text.limit() < length) {
            throw new ProfileException(image.source() + ": holds only " + text.limit() + " of the " + length
                    + " bytes of kernel text");
        }
        this.raw = new byte[length];
        text.get(0, raw);
        this.expected = raw.clone();
        this.relocatedWords = relocations.apply(expected, textStart, slide);
        this.sites = sites != null ? sites : TextPatchSites.read(image, profile, textStart, textEnd);
        this.symbols = new SymbolIndex(profile);
        this.forms = new PatchSiteForms(profile);
    }

    /** Reads and compares the whole text with the VM stopped throughout. */
    public KernelTextCheck verify() {
        return verify(WalkPacer.PAUSED);
    }

    /**
     * Reads the whole text, calling {@code pacer} between batches of pages, then checks what every patch
     * site holds ({@link PatchSiteForms}) and compares the pages.
     */
    public KernelTextCheck verify(WalkPacer pacer) {
        Pass pass = new Pass(new byte[raw.length]);
        long firstPage = Math.floorDiv(textStart, PAGE_BYTES) * PAGE_BYTES;
        long end = textStart + raw.length;
        long stoppedNanos = 0;
        int reads = 0;
        List<Long> readable = new ArrayList<>();
        for (long batch = firstPage; batch < end; batch += (long) PAGE_BYTES * PAGES_PER_BATCH) {
            if (batch != firstPage) {
                pacer.betweenSteps();
            }
            List<Long> pages = new ArrayList<>(PAGES_PER_BATCH);
            for (long p = batch; p < end && pages.size() < PAGES_PER_BATCH; p += PAGE_BYTES) {
                pages.add(p);
            }
            long started = System.nanoTime();
            List<byte[]> bytes = read(pages, pass);
            reads += bytes.size() == pages.size() ? 1 : 1 + pages.size();
            stoppedNanos += System.nanoTime() - started;
            for (int i = 0; i < pages.size(); i++) {
                if (bytes.get(i) != null) {
                    pass.keep(pages.get(i), bytes.get(i));
                    readable.add(pages.get(i));
                }
            }
        }
        boolean[] rejected = new boolean[sites.size()];
        for (int i = 0; i < rejected.length; i++) {
            rejected[i] = !forms.allowed(sites, i, pass.live, expected, textStart);
        }
        readable.forEach(p -> pass.compare(p, rejected));
        Map<PatchClass, Integer> siteCounts = new EnumMap<>(PatchClass.class);
        siteCounts.putAll(sites.siteCounts());
        siteCounts.put(PatchClass.RELOCATION, relocatedWords);
        return new KernelTextCheck(pass.findings, pass.differing > pass.findings.size(), pass.compared,
                pass.differing, pass.accounted, siteCounts, reads, stoppedNanos);
    }

    /** The live bytes of each page (link-time addresses), {@code null} for one that cannot be read. */
    private List<byte[]> read(List<Long> pages, Pass pass) {
        List<Gva> live = pages.stream().map(p -> Gva.of(p + slide)).toList();
        try {
            return page.readAll(memory, live).stream().map(b -> b.bytes(0, PAGE_BYTES)).toList();
        } catch (GuestAccessException batchFailed) {
            List<byte[]> one = new ArrayList<>(pages.size());
            for (int i = 0; i < pages.size(); i++) {
                try {
                    one.add(page.read(memory, live.get(i)).bytes(0, PAGE_BYTES));
                } catch (GuestAccessException e) {
                    one.add(null);
                    pass.unreadable(pages.get(i), e.getMessage());
                }
            }
            return one;
        }
    }

    /** The live text and the tallies of one {@link #verify}. */
    private final class Pass {
        /** Index 0 = {@code textStart}, like {@code raw} and {@code expected}. */
        final byte[] live;
        final List<KernelTextFinding> findings = new ArrayList<>();
        final Map<PatchClass, Long> accounted = new EnumMap<>(PatchClass.class);
        int compared;
        int differing;

        Pass(byte[] live) {
            this.live = live;
        }

        void unreadable(long pageAddress, String why) {
            differing++;
            if (findings.size() < MAX_FINDINGS) {
                findings.add(new KernelTextFinding(pageAddress + slide, 0, List.of(), why));
            }
        }

        /** Keeps the part of a page (link-time address) inside the text. */
        void keep(long pageAddress, byte[] bytes) {
            int from = (int) Math.max(0, textStart - pageAddress);
            int to = (int) Math.min(PAGE_BYTES, textStart + raw.length - pageAddress);
            System.arraycopy(bytes, from, live, (int) (pageAddress + from - textStart), to - from);
        }

        /**
         * Compares the part of a page inside the text; {@code pageAddress} is link-time. A byte differing
         * at a site the kernel may have patched is accounted to its class, unless the site holds a form
         * the kernel never writes ({@code rejected}).
         */
        void compare(long pageAddress, boolean[] rejected) {
            compared++;
            int from = (int) Math.max(0, textStart - pageAddress);
            int to = (int) Math.min(PAGE_BYTES, textStart + raw.length - pageAddress);
            List<KernelTextFinding.Run> runs = new ArrayList<>();
            int differingBytes = 0;
            int runStart = -1;
            for (int i = from; i <= to; i++) {
                boolean differs = false;
                if (i < to) {
                    int at = (int) (pageAddress + i - textStart);
                    if (live[at] != expected[at]) {
                        int site = sites.siteAt(pageAddress + i, rejected);
                        if (site < 0) {
                            differs = true;
                        } else if (live[at] != raw[at]) {
                            accounted.merge(sites.classOf(site), 1L, Long::sum);
                        }
                    } else if (expected[at] != raw[at]) {
                        accounted.merge(PatchClass.RELOCATION, 1L, Long::sum);
                    }
                }
                if (differs) {
                    differingBytes++;
                    runStart = runStart < 0 ? i : runStart;
                } else if (runStart >= 0) {
                    if (runs.size() < MAX_RUNS_PER_PAGE) {
                        runs.add(new KernelTextFinding.Run(runStart, i - runStart,
                                symbols.describe(pageAddress + runStart, null)));
                    }
                    runStart = -1;
                }
            }
            if (differingBytes > 0) {
                differing++;
                if (findings.size() < MAX_FINDINGS) {
                    findings.add(new KernelTextFinding(pageAddress + slide, differingBytes, runs, null));
                }
            }
        }
    }
}
