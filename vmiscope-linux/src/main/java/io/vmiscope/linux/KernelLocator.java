package io.vmiscope.linux;

import io.vmiscope.api.AccessContext;
import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.Gva;
import io.vmiscope.api.Hex;
import io.vmiscope.api.VcpuState;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.symbols.ProfileException;
import io.vmiscope.x86.GuestMemory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the KASLR slide of a running x86-64 Linux kernel from outside, with no help from the guest.
 *
 * <p>Method (see docs/kaslr.md): x86-64 KASLR moves the kernel image within the 1 GiB kernel-text
 * region in steps of {@code CONFIG_PHYSICAL_ALIGN} (2 MiB), so there are at most 512 candidate
 * slides. For each candidate, in an order that tries first the slides that put a vCPU's current
 * {@code rip} inside the kernel image, the locator asks the page tables whether {@code _text + slide}
 * is mapped (page-table entries are cached, so a rejected candidate costs about one 8-byte read) and,
 * when it is, compares the bytes at {@code linux_banner + slide} with the profile's banner. A match
 * identifies the slide and, at the same time, proves that profile and kernel belong together. The
 * kernel's own top-level page table ({@code init_top_pgt}) is then used for all later kernel reads, so
 * that a vCPU stopped in user mode on page-table-isolated user tables does not matter.
 */
public final class KernelLocator {

    /** x86-64: the kernel image lives in [0xffffffff80000000, 0xffffffffc0000000). */
    private static final long KERNEL_TEXT_BASE = 0xffff_ffff_8000_0000L;
    private static final long KERNEL_TEXT_END = 0xffff_ffff_c000_0000L;
    private static final long SLIDE_STEP = 2L << 20;
    private static final int BANNER_PROBE_BYTES = 64;
    private static final long PTI_USER_PGD_BIT = 1L << 12;
    private static final long CR3_ADDRESS_MASK = 0x000f_ffff_ffff_f000L;

    private KernelLocator() {
    }

    /**
     * @throws ProfileException when no candidate slide shows the profile's kernel (wrong profile, or
     *         not a Linux guest); the message says what was tried
     */
    public static KernelLocation locate(GuestMemory memory, VcpuState vcpus, KernelProfile profile) {
        long text = profile.findSymbol("_text").orElseGet(() -> profile.symbol("_stext"));
        long banner = profile.symbol("linux_banner");
        byte[] expected = expectedBanner(profile);
        List<Long> rips = new ArrayList<>();
        Set<Long> roots = new LinkedHashSet<>();
        for (int vcpu : vcpus.vcpus()) {
            rips.add(vcpus.register(vcpu, "rip"));
            long cr3 = vcpus.register(vcpu, "cr3") & CR3_ADDRESS_MASK;
            roots.add(cr3);
            roots.add(cr3 & ~PTI_USER_PGD_BIT); // PTI: the kernel PGD is the even page of the pair
        }
        long end = profile.findSymbol("_end").orElse(text + (64L << 20));
        List<Long> slides = candidateSlides(text, end, rips);
        for (long root : roots) {
            memory.setKernelCr3(root);
            for (long slide : slides) {
                if (matches(memory, text + slide, banner + slide, expected)) {
                    long kernelCr3 = profile.findSymbol("init_top_pgt").stream()
                            .mapToObj(pgt -> kernelRoot(memory, pgt + slide))
                            .filter(r -> r >= 0).findFirst().orElse(root);
                    memory.setKernelCr3(kernelCr3);
                    return new KernelLocation(slide, kernelCr3, "page-table scan of " + slides.size()
                            + " candidate slides, confirmed by linux_banner");
                }
            }
        }
        throw new ProfileException("kernel not found: no KASLR slide shows linux_banner of " + profile.source()
                + " (tried " + slides.size() + " slides under page tables " + roots.stream().map(Hex::address).toList()
                + "); is the profile for this guest's kernel?");
    }

    /** Candidate slides, those consistent with a vCPU's kernel-mode rip first. */
    static List<Long> candidateSlides(long text, long end, List<Long> rips) {
        List<Long> all = new ArrayList<>();
        for (long slide = 0; Long.compareUnsigned(text + slide, KERNEL_TEXT_END) < 0; slide += SLIDE_STEP) {
            all.add(slide);
        }
        List<Long> first = new ArrayList<>();
        for (long rip : rips) {
            if (Long.compareUnsigned(rip, KERNEL_TEXT_BASE) >= 0 && Long.compareUnsigned(rip, KERNEL_TEXT_END) < 0) {
                for (long slide : all) {
                    if (Long.compareUnsigned(rip, text + slide) >= 0 && Long.compareUnsigned(rip, end + slide) < 0
                            && !first.contains(slide)) {
                        first.add(slide);
                    }
                }
            }
        }
        all.removeAll(first);
        first.addAll(all);
        return first;
    }

    private static boolean matches(GuestMemory memory, long text, long banner, byte[] expected) {
        try {
            memory.translate(AccessContext.kernel(Gva.of(text)));
            byte[] actual = memory.read(AccessContext.kernel(Gva.of(banner)), expected.length);
            return java.util.Arrays.equals(actual, expected);
        } catch (GuestAccessException e) {
            return false;
        }
    }

    private static byte[] expectedBanner(KernelProfile profile) {
        String banner = profile.banner().isEmpty() ? "Linux version " : profile.banner();
        byte[] bytes = banner.getBytes(StandardCharsets.ISO_8859_1);
        return java.util.Arrays.copyOf(bytes, Math.min(bytes.length, BANNER_PROBE_BYTES));
    }

    private static long kernelRoot(GuestMemory memory, long pgtVirtual) {
        try {
            return memory.translate(AccessContext.kernel(Gva.of(pgtVirtual))).gpa().value();
        } catch (GuestAccessException e) {
            return -1;
        }
    }
}
