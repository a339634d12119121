package io.vmiscope.cli;

import io.vmiscope.gdb.GdbAddress;
import io.vmiscope.gdb.GdbDriver;
import io.vmiscope.gdb.GdbOptions;
import io.vmiscope.guest.Accelerator;
import io.vmiscope.guest.QemuLauncher;
import io.vmiscope.guest.QemuVm;
import io.vmiscope.guest.VmOptions;
import io.vmiscope.testkit.OtherUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 21 on a real VM: another local user ({@link OtherUser}, i.e. {@code nobody}) cannot reach the gdbstub,
 * QMP or console of a VM that vmiscope started, while its owner's tools work unchanged. The VM's cache lies in
 * a directory that every user may enter, so that nothing but the VM's own directory and sockets keeps the
 * other user out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VmIsolationIT {

    private Path cache;
    private QemuVm vm;
    private List<Path> sockets;

    @BeforeAll
    void bootAVmUnderAWorldEnterableCache() throws IOException {
        cache = Files.createTempDirectory("vmiscope-isolation");
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxr-xr-x"));
        Accelerator accelerator = QemuLauncher.withDefaults().resolve(Accelerator.AUTO, TestGuests.image());
        vm = new QemuLauncher(cache, line -> System.out.println("[launcher] " + line)).start(TestGuests.image(),
                VmOptions.named("isolation-" + ProcessHandle.current().pid()).withAccelerator(accelerator));
        vm.awaitBooted(Duration.ofMinutes(3));
        sockets = List.of(vm.gdbSocket(), vm.qmpSocket(), vm.guardQmpSocket(), vm.state().consoleSocket());
    }

    @AfterAll
    void stopAndDelete() throws IOException {
        if (vm != null) {
            vm.stop();
        }
        try (Stream<Path> files = Files.walk(cache)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @Test
    void theVmsDirectoryIsTheOwnersOnly_andSoIsEachSocket_whileItsParentsAreOpen() throws IOException {
        Path vmDir = vm.state().vmDir();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(vmDir))).isEqualTo("rwx------");
        for (Path socket : sockets) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).as(socket.toString())
                    .isEqualTo("rw-------");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(vmDir.getParent())))
                .as("the parent protects nothing here").endsWith("r-x");
    }

    @Test
    void anotherUser_cannotConnectToTheGdbstubQmpOrConsole_norListTheVmsDirectory() throws Exception {
        Path vmDir = vm.state().vmDir();
        List<String> probes = Stream.concat(Stream.of("list:" + vmDir.getParent(), "list:" + vmDir),
                sockets.stream().map(socket -> "unix:" + socket)).toList();

        Map<String, String> asNobody = OtherUser.probe(probes);

        assertThat(asNobody.get("list:" + vmDir.getParent())).as("the other user does run and reach the parent")
                .startsWith("listed");
        assertThat(asNobody.get("list:" + vmDir)).startsWith("refused: java.nio.file.AccessDeniedException");
        for (Path socket : sockets) {
            assertThat(asNobody.get("unix:" + socket)).as(socket.toString())
                    .startsWith("refused: ").contains("Permission denied");
        }
        assertThat(vm.qmp().status()).as("no connection of the other user stopped the VM").isEqualTo("running");
    }

    @Test
    void theOwner_attachesThroughTheSocket_listsTheProcesses_andReleasesTheVm() {
        try (TargetOptions.Session session = TargetOptions.attach(TargetOptions.Resolved.of(vm, TestGuests.image().kernel()))) {
            assertThat(session.linux().processes().items()).anySatisfy(p -> assertThat(p.comm()).isEqualTo("httpd"));
        }
        GdbDriver.Release release = GdbDriver.release(new GdbAddress.Unix(vm.gdbSocket()), GdbOptions.DEFAULTS);

        assertThat(release.peer()).isEqualTo("unix:" + vm.gdbSocket());
        assertThat(vm.qmp().status()).isEqualTo("running");
        assertThat(vm.console().run("echo ok", Duration.ofSeconds(10)).orThrow().output()).isEqualTo("ok\n");
    }
}
