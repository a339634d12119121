package io.vmiscope.linux.syscall;

import io.vmiscope.guest.CloudKernel;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.profile.KernelProfiles;
import io.vmiscope.linux.profile.ProfileCache;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The system-call table of Debian's real 6.1 cloud kernel, from its kallsyms and BTF. */
class SyscallTableRealKernelTest {

    private static KernelProfile profile;
    private static SyscallTable table;

    @BeforeAll
    static void loadProfile() {
        profile = KernelProfiles.load(CloudKernel.fetchDefault().vmlinuz(), ProfileCache.atDefaultLocation());
        table = SyscallTable.fromProfile(profile);
    }

    @Test
    void openat_isNumber257_servedBy__x64_sys_openat() {
        Syscall openat = table.find("openat").orElseThrow();

        assertThat(openat.number()).hasValue(257);
        assertThat(openat.symbol()).isEqualTo("__x64_sys_openat");
        assertThat(openat.address()).isEqualTo(profile.symbol("__x64_sys_openat"));
        assertThat(openat.abi()).isEqualTo(Syscall.Abi.X64);
        assertThat(table.byNumber(257)).contains(openat);
        assertThat(SyscallTable.numberOf("openat")).hasValue(257);
        assertThat(SyscallTable.nameOf(59)).contains("execve");
    }

    @Test
    void callsWhoseEntryHasAnotherName_useTheTablesEntryPoint() {
        assertThat(table.find("stat").orElseThrow().symbol()).isEqualTo("__x64_sys_newstat");
        assertThat(table.find("umount2").orElseThrow().symbol()).isEqualTo("__x64_sys_umount");
        assertThat(table.find("sendfile").orElseThrow().symbol()).isEqualTo("__x64_sys_sendfile64");
        assertThat(table.find("newstat")).isEmpty();
    }

    @Test
    void everyNumberUpToTheLastOfLinux61_isPresentOrExplained() {
        assertThat(table.liveTableEntries()).isEqualTo(451);
        assertThat(table.all().stream().filter(s -> s.number().isPresent()).count()).isEqualTo(346);
        assertThat(table.whyMissing("uselib")).hasValueSatisfying(r -> assertThat(r).contains("without implementing"));
        assertThat(table.whyMissing("mseal")).hasValueSatisfying(r -> assertThat(r).contains("__x64_sys_mseal"));
        assertThat(table.whyMissing("openat")).isEmpty();
    }

    @Test
    void unnumberedEntryFunctions_andIa32Entries_areListed_butNotInAll() {
        assertThat(table.find("chown16")).hasValueSatisfying(s -> assertThat(s.number()).isEmpty());
        assertThat(table.all()).noneMatch(s -> s.name().contains("."));
        assertThat(table.ia32()).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("execve");
            assertThat(s.abi()).isEqualTo(Syscall.Abi.IA32_COMPAT);
            assertThat(s.symbol()).isEqualTo("__ia32_compat_sys_execve");
        });
        assertThat(table.ia32()).anyMatch(s -> s.abi() == Syscall.Abi.IA32 && s.name().equals("openat"));
        assertThat(table.select("all")).doesNotContain("chown16").contains("read", "openat", "clone3");
    }

    @Test
    void groups_containWhatStraceWouldPutThere() {
        assertThat(table.group(SyscallGroup.FILE)).contains("open", "openat", "openat2", "creat", "stat", "newfstatat",
                "statx", "access", "faccessat2", "unlink", "unlinkat", "rename", "renameat2", "mkdir", "rmdir", "chmod",
                "fchmodat", "chown", "fchownat", "link", "symlinkat", "readlinkat", "truncate", "chdir", "chroot",
                "execve", "execveat", "mount", "umount2", "utimensat").doesNotContain("read", "mmap", "fstat");
        assertThat(table.group(SyscallGroup.NETWORK)).contains("socket", "connect", "accept", "accept4", "bind",
                "listen", "sendto", "recvfrom", "sendmsg", "recvmsg", "shutdown", "getsockname", "getpeername",
                "socketpair", "setsockopt", "getsockopt").doesNotContain("openat", "getpmsg");
        assertThat(table.group(SyscallGroup.PROCESS)).contains("clone", "clone3", "fork", "vfork", "execve",
                "execveat", "exit", "exit_group", "wait4", "waitid", "kill", "tkill", "tgkill");
        assertThat(table.group(SyscallGroup.MEMORY)).contains("mmap", "munmap", "mprotect", "brk", "mremap", "madvise");
        assertThat(table.group(SyscallGroup.IPC)).contains("pipe", "pipe2", "msgget", "shmget", "semget", "mq_open",
                "eventfd2");
        assertThat(table.group(SyscallGroup.DESC)).contains("read", "write", "close", "dup", "dup2", "dup3");
    }

    @Test
    void everyTraceableCallOfTheFileNetworkAndProcessGroups_hasASignature() {
        for (SyscallGroup group : List.of(SyscallGroup.FILE, SyscallGroup.NETWORK, SyscallGroup.PROCESS)) {
            assertThat(SyscallSignature.known()).as(group.label()).containsAll(table.group(group));
        }
        assertThat(SyscallSignature.known()).contains("read", "write", "close", "dup", "dup2", "dup3", "pipe", "pipe2",
                "mmap", "mprotect", "kill", "exit_group", "ioctl");
    }

    @Test
    void select_expandsGroupsAndNames_inNumberOrder() {
        Set<String> fileAndNetwork = table.select("file,network");
        assertThat(fileAndNetwork).contains("openat", "execve", "connect", "sendto").doesNotContain("mmap", "read");
        assertThat(table.select("openat, execve")).containsExactly("execve", "openat");
        assertThat(table.select("%process")).isEqualTo(table.group(SyscallGroup.PROCESS));
    }

    @Test
    void unknownNames_areRefusedWithOneLine_namingCloseMatches() {
        assertThatThrownBy(() -> table.select("openat,opneat"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'opneat'").hasMessageContaining("openat")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> table.select("netwrk")).hasMessageContaining("network");
        assertThatThrownBy(() -> table.select("zzzzzzzzzzzz")).hasMessageContaining("groups: file");
        assertThatThrownBy(() -> table.select(" , ")).hasMessageContaining("empty");
    }

    @Test
    void namesTheKernelLacks_areRefusedWithTheReason() {
        assertThatThrownBy(() -> table.select("uselib"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("uselib").hasMessageContaining("without implementing it");
        assertThatThrownBy(() -> table.select("cachestat")).hasMessageContaining("no __x64_sys_cachestat");
    }

    @Test
    void aTableAsThisKernelBuildsIt_isIntact_andOneOverwrittenSlot_isReported() {
        long slide = 0x1e00_0000L;
        byte[] bytes = liveTable(slide);

        LiveSyscallTable intact = SyscallTable.verifyLive(profile, bytes, slide);
        assertThat(intact.findings()).isEmpty();
        assertThat(intact.entries()).hasSize(451);
        assertThat(intact.entries().get(257).symbol()).isEqualTo("__x64_sys_openat");
        assertThat(intact.entries().get(134).symbol()).isEqualTo("__x64_sys_ni_syscall");

        long rootkit = 0xffff_ffff_c012_3450L;
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(62 * 8, rootkit);
        LiveSyscallTable hooked = SyscallTable.verifyLive(profile, bytes, slide);
        assertThat(hooked.findings()).containsExactly(new SyscallHookFinding(62, "__x64_sys_kill", rootkit, null));
    }

    private static byte[] liveTable(long slide) {
        ByteBuffer buffer = ByteBuffer.allocate(table.liveTableEntries() * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int n = 0; n < table.liveTableEntries(); n++) {
            String symbol = table.byNumber(n).map(Syscall::symbol).orElse("__x64_sys_ni_syscall");
            buffer.putLong(profile.symbol(symbol) + slide);
        }
        return buffer.array();
    }

    @Test
    void ptRegs_hasTheArgumentRegistersWhereBtfPutsThem() {
        PtRegsLayout regs = PtRegsLayout.from(profile);

        assertThat(regs.di()).isEqualTo(0x70);
        assertThat(regs.si()).isEqualTo(0x68);
        assertThat(regs.dx()).isEqualTo(0x60);
        assertThat(regs.r10()).isEqualTo(0x38);
        assertThat(regs.r8()).isEqualTo(0x48);
        assertThat(regs.r9()).isEqualTo(0x40);
        assertThat(regs.origAx()).isEqualTo(0x78);
        assertThat(regs.ax()).isEqualTo(0x50);
        assertThat(regs.ip()).isEqualTo(0x80);
        assertThat(regs.sp()).isEqualTo(0x98);
        assertThat(regs.readPlan(4096).readCount()).isEqualTo(1);
    }
}
