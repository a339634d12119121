package io.vmiscope.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.junit.jupiter.api.Test;

/** Builds from the packages in the default cache (fetched once by apt-get download when missing). */
class GuestBuilderTest {

    private static GuestBuilder builder(List<String> progress) {
        return new GuestBuilder(new DebianPackages(DebianPackages.defaultCacheDir(), progress::add), progress::add);
    }

    @Test
    void build_isCached_soASecondBuildReusesTheSameImage() throws Exception {
        GuestImage first = builder(new ArrayList<>()).build();
        FileTime written = Files.getLastModifiedTime(first.initrd());
        List<String> progress = new ArrayList<>();

        long start = System.nanoTime();
        GuestImage second = builder(progress).build();
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(second).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(second.initrd())).isEqualTo(written);
        assertThat(progress).anyMatch(line -> line.startsWith("initramfs up to date"))
                .noneMatch(line -> line.startsWith("building"));
        assertThat(millis).isLessThan(5_000);
    }

    @Test
    void image_holdsInit_busyboxApplets_devices_andTheModules() throws Exception {
        GuestImage image = builder(new ArrayList<>()).build();
        Map<String, CpioArchiveEntry> entries = new HashMap<>();
        Map<String, String> smallFiles = new HashMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(image.initrd()));
             CpioArchiveInputStream cpio = new CpioArchiveInputStream(in)) {
            CpioArchiveEntry entry;
            while ((entry = cpio.getNextEntry()) != null) {
                entries.put(entry.getName(), entry);
                if (entry.getSize() < 4096) {
                    smallFiles.put(entry.getName(), new String(cpio.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }

        assertThat(entries.get("init").getMode() & 0777).isEqualTo(0755);
        assertThat(entries.get("bin/busybox").getSize()).isGreaterThan(500_000);
        assertThat(entries.get("sbin/init").isSymbolicLink()).isTrue();
        assertThat(smallFiles.get("usr/sbin/httpd")).isEqualTo("/bin/busybox");
        assertThat(entries.get("dev/console").isCharacterDevice()).isTrue();
        assertThat(entries.get("dev/console").getRemoteDeviceMaj()).isEqualTo(5);
        assertThat(smallFiles.get("etc/modules-boot").lines().toList()).hasSize(image.bootModules().size())
                .last().asString().endsWith("crc-itu-t.ko");
        String moduleDir = "lib/modules/" + image.kernelVersion() + "/kernel/";
        assertThat(entries).containsKeys(moduleDir + "drivers/net/virtio_net.ko", moduleDir + "drivers/net/dummy.ko");
        assertThat(image.spareModules()).allMatch(p -> entries.containsKey(p.substring(1)));
    }

    @Test
    void bootModules_comeInDependencyOrder() {
        List<String> order = builder(new ArrayList<>()).build().bootModules();

        assertThat(order).containsSubsequence("virtio_ring", "virtio", "virtio_pci")
                .containsSubsequence("failover", "net_failover", "virtio_net")
                .containsSubsequence("virtio", "virtio_net")
                .contains("virtio_pci_modern_dev", "virtio_pci_legacy_dev", "crc7", "crc_itu_t")
                .doesNotHaveDuplicates();
        assertThat(order.indexOf("virtio_pci_modern_dev")).isLessThan(order.indexOf("virtio_pci"));
    }
}
