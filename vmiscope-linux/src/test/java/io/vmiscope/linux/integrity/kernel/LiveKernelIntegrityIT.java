package io.vmiscope.linux.integrity.kernel;

import io.vmiscope.gdb.GdbDriver;
import io.vmiscope.linux.LinuxGuest;
import io.vmiscope.linux.image.KernelImage;
import io.vmiscope.linux.profile.KernelProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.vmiscope.api.AccessContext;
import io.vmiscope.api.Gva;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kernel-integrity readers on the real demo guest (KASLR on): the clean kernel is intact for all
 * three, and a byte of kernel text, a jump at a function's entry, an IDT gate and a branch of the syscall
 * switch, changed through the stub as a rootkit would, are each reported with the right symbol — and put
 * back before the guest resumes, so it runs on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveKernelIntegrityIT {

    private DemoGuest demo;
    private KernelProfile profile;
    private KernelImage image;

    @BeforeAll
    void bootGuest() {
        demo = DemoGuest.boot("kernel-integrity", true);
        profile = demo.profile;
        image = demo.image;
    }

    @AfterAll
    void stopGuest() {
        if (demo != null) {
            demo.close();
        }
    }

    private <T> T attached(BiFunction<GdbDriver, LinuxGuest, T> work) {
        return demo.attached(work);
    }

    private KernelTextVerifier textVerifier(LinuxGuest guest) {
        return demo.textVerifier(guest);
    }

    @Test
    void cleanKernelText_matchesTheImage_onceRunTimePatchesAndRelocationsAreAccountedFor() {
        KernelTextCheck check = attached((driver, guest) -> textVerifier(guest).verify());

        System.out.println("[kernel text] " + check.summary());
        check.findings().forEach(f -> System.out.println("[kernel text] " + f));
        assertThat(check.findings()).isEmpty();
        assertThat(check.isIntact()).isTrue();
        assertThat(check.pagesCompared()).isGreaterThan(3000);
        assertThat(check.bytesAccounted().get(PatchClass.RELOCATION)).as("KASLR is on").isPositive();
        assertThat(check.bytesAccounted().get(PatchClass.FTRACE)).isPositive();
    }

    @Test
    void cleanIdt_holdsTheHandlersTheKernelInstalls_andEveryIdtrMapsIt() {
        long[] nanos = new long[1];
        List<EntryPointFinding> findings = attached((driver, guest) -> {
            EntryPointVerifier verifier = new EntryPointVerifier(guest.memory(), profile, image.elf(), guest.location().slide());
            long started = System.nanoTime();
            List<Idtr> idtrs = Idtr.parseAll(driver.monitor("info registers -a"));
            List<EntryPointFinding> found = verifier.verify(idtrs);
            nanos[0] = System.nanoTime() - started;
            System.out.println("[idt] IDTR " + idtrs);
            assertThat(idtrs).hasSize(driver.vcpus().size());
            return found;
        });

        System.out.printf("[idt] IDTR read and 256 gates compared in %.1f ms stopped%n", nanos[0] / 1e6);
        findings.forEach(f -> System.out.println("[idt] " + f));
        assertThat(findings).isEmpty();
    }

    @Test
    void cleanSyscallSwitch_sendsEveryNumberToItsOwnEntryFunction() {
        long[] nanos = new long[1];
        SyscallDispatchCheck check = attached((driver, guest) -> {
            SyscallDispatchVerifier verifier = new SyscallDispatchVerifier(guest.memory(), profile, guest.location().slide());
            long started = System.nanoTime();
            SyscallDispatchCheck found = verifier.verify();
            nanos[0] = System.nanoTime() - started;
            return found;
        });

        System.out.printf("[x64_sys_call] %d numbers followed in %.1f ms stopped%n", check.numbersChecked(), nanos[0] / 1e6);
        check.findings().forEach(f -> System.out.println("[x64_sys_call] " + f));
        assertThat(check.notApplicable()).as("Debian's 6.1.0-57 has the backported switch").isEmpty();
        assertThat(check.numbersChecked()).isEqualTo(451);
        assertThat(check.findings()).isEmpty();
    }

    @Test
    void aPatchedByteOfKernelText_isReportedWithItsFunction_andTheTextIsIntactOnceRestored() {
        long stext = profile.symbol("_stext");
        TextPatchSites sites = TextPatchSites.read(image.elf(), profile, stext, profile.symbol("_etext"));
        long function = profile.symbol("do_sys_openat2");
        long offset = 8;
        while (sites.classAt(function + offset).isPresent()) {
            offset++;
        }
        long at = offset;
        attached((driver, guest) -> {
            long slide = guest.location().slide();
            KernelTextVerifier verifier = textVerifier(guest);
            byte[] original = guest.memory().read(AccessContext.kernel(Gva.of(function + at + slide)), 1);
            KernelTextCheck patched;
            try (KernelWrites ignored = KernelWrites.overwrite(driver, guest.memory(), function + at + slide,
                    new byte[] {(byte) ~original[0]})) {
                patched = verifier.verify();
            }
            KernelTextCheck restored = verifier.verify();

            System.out.println("[kernel text, patched] " + patched.findings());
            assertThat(patched.pagesDiffering()).isEqualTo(1);
            KernelTextFinding finding = patched.findings().get(0);
            assertThat(finding.pageAddress()).isEqualTo((function + at + slide) & ~0xfffL);
            assertThat(finding.differingBytes()).isEqualTo(1);
            assertThat(finding.runs()).singleElement().satisfies(run -> {
                assertThat(run.offset()).isEqualTo((int) ((function + at) & 0xfff));
                assertThat(run.symbol()).isEqualTo("do_sys_openat2+0x" + Long.toHexString(at));
            });
            assertThat(finding.toString()).contains("do_sys_openat2+0x" + Long.toHexString(at));
            assertThat(restored.isIntact()).isTrue();
            return null;
        });
    }

    @Test
    void anInlineHookAtAFunctionsEntry_whereFtraceLeftItsNop_isReported() {
        long function = profile.symbol("__x64_sys_getpid");
        attached((driver, guest) -> {
            long slide = guest.location().slide();
            long hook = profile.symbol("do_sys_openat2") + slide;
            long entry = function + slide;
            byte[] jump = ByteBuffer.allocate(5).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0xe9)
                    .putInt((int) (hook - (entry + 5))).array();
            KernelTextVerifier verifier = textVerifier(guest);
            KernelTextCheck hooked;
            try (KernelWrites ignored = KernelWrites.overwrite(driver, guest.memory(), entry, jump)) {
                hooked = verifier.verify();
            }

            System.out.println("[kernel text, entry hook] " + hooked.findings());
            assertThat(hooked.findings()).singleElement().satisfies(f ->
                    assertThat(f.runs().get(0).symbol()).isIn("__x64_sys_getpid", "__do_sys_getpid"));
            assertThat(verifier.verify().isIntact()).isTrue();
            return null;
        });
    }

    @Test
    void aRedirectedIdtGate_isReportedWithTheHandlerItNowReaches_andTheOneExpected() {
        attached((driver, guest) -> {
            long slide = guest.location().slide();
            long gate = profile.symbol("idt_table") + slide; // vector 0, #DE
            long hook = profile.symbol("do_sys_openat2") + slide;
            byte[] original = guest.memory().read(AccessContext.kernel(Gva.of(gate)), IdtLayout.GATE_BYTES);
            byte[] redirected = original.clone();
            ByteBuffer bytes = ByteBuffer.wrap(redirected).order(ByteOrder.LITTLE_ENDIAN);
            bytes.putShort(0, (short) hook).putShort(6, (short) (hook >>> 16)).putInt(8, (int) (hook >>> 32));
            EntryPointVerifier verifier = new EntryPointVerifier(guest.memory(), profile, image.elf(), slide);
            List<EntryPointFinding> findings;
            try (KernelWrites ignored = KernelWrites.overwrite(driver, guest.memory(), gate, redirected)) {
                findings = verifier.verify();
            }
            List<EntryPointFinding> restored = verifier.verify();

            System.out.println("[idt, redirected] " + findings);
            assertThat(findings).singleElement().satisfies(f -> {
                assertThat(f.entry()).isEqualTo("IDT vector 0");
                assertThat(f.address()).isEqualTo(hook);
                assertThat(f.actualSymbol()).isEqualTo("do_sys_openat2");
                assertThat(f.expectedSymbol()).isEqualTo("asm_exc_divide_error");
            });
            assertThat(restored).isEmpty();
            return null;
        });
    }

    @Test
    void aRedirectedBranchOfTheSyscallSwitch_isReportedForItsNumber() {
        attached((driver, guest) -> {
            long slide = guest.location().slide();
            long function = profile.symbol("x64_sys_call") + slide;
            byte[] code = guest.memory().read(AccessContext.kernel(Gva.of(function)), 8192);
            long jump = SwitchDecoder.follow(code, function, profile.symbol("__fentry__") + slide, 39).at(); // getpid
            long hook = profile.symbol("__x64_sys_getppid") + slide;
            byte[] redirected = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) (hook - (jump + 5))).array();
            SyscallDispatchVerifier verifier = new SyscallDispatchVerifier(guest.memory(), profile, slide);
            SyscallDispatchCheck check;
            try (KernelWrites ignored = KernelWrites.overwrite(driver, guest.memory(), jump + 1, redirected)) {
                check = verifier.verify();
            }
            SyscallDispatchCheck restored = verifier.verify();

            System.out.println("[x64_sys_call, redirected] " + check.findings());
            assertThat(check.findings()).singleElement().satisfies(f -> {
                assertThat(f.number()).isEqualTo(39);
                assertThat(f.actualSymbol()).as("the entry or its alias").isIn("__x64_sys_getppid", "__do_sys_getppid");
                assertThat(f.expectedSymbol()).isEqualTo("__x64_sys_getpid");
            });
            assertThat(restored.isIntact()).isTrue();
            return null;
        });
    }

    @Test
    void theGuestRunsOnAfterTheManipulations() {
        assertThat(demo.vm.console().run("cat /proc/self/stat").orThrow().output()).contains("cat");
    }
}
