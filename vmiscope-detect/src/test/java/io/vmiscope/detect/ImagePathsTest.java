package io.vmiscope.detect;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The image an exec starts, for busybox's ways of running its applets. */
class ImagePathsTest {

    @Test
    void anAppletRunAsProcSelfExe_isTheAppletInBusyboxsDirectory_whateverTheCaller() {
        assertThat(ImagePaths.image("/proc/self/exe", List.of("nc", "-e", "/bin/sh"), "/bin/sh")).isEqualTo("/bin/nc");
        assertThat(ImagePaths.image("/proc/self/exe", List.of("sh", "-c", "id"), "ping")).isEqualTo("/bin/sh");
        assertThat(ImagePaths.image("/proc/self/exe", List.of("uname"), "/tmp/dropper.sh")).isEqualTo("/bin/uname");
        assertThat(ImagePaths.image("/proc/self/exe", List.of("sh"), null)).isEqualTo("/bin/sh");
    }

    @Test
    void aProgramRerunningItselfUnderItsOwnName_keepsItsImage() {
        assertThat(ImagePaths.image("/proc/self/exe", List.of("runc", "init"), "/usr/bin/runc")).isEqualTo("/usr/bin/runc");
        assertThat(ImagePaths.image("/proc/self/exe", List.of("sh", "-c", "id"), "/bin/sh")).isEqualTo("/bin/sh");
        assertThat(ImagePaths.image("/proc/self/exe", List.of(), "/usr/bin/runc")).isEqualTo("/usr/bin/runc");
        assertThat(ImagePaths.image("/proc/self/exe", List.of(), null)).isEqualTo("/proc/self/exe");
    }

    @Test
    void busyboxByPathOrByName_staysMappedAsBefore() {
        assertThat(ImagePaths.image("/bin/busybox", List.of("nc", "-l"), null)).isEqualTo("/bin/nc");
        assertThat(ImagePaths.image("/bin/busybox", List.of("busybox", "wget", "x"), null)).isEqualTo("/bin/wget");
        assertThat(ImagePaths.image("status", List.of("status"), "httpd")).isEqualTo("status");
    }
}
