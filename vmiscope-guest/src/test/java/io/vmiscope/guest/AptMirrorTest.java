package io.vmiscope.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AptMirrorTest {

    @TempDir
    Path apt;

    @Test
    void deb822Sources_giveTheirDebianUri_notTheSecurityArchive() throws Exception {
        Files.createDirectories(apt.resolve("sources.list.d"));
        Files.writeString(apt.resolve("sources.list.d/debian.sources"), """
                Types: deb
                URIs: http://security.example.org/debian-security
                Suites: bookworm-security

                Types: deb
                URIs: http://mirror.example.org/debian
                Suites: bookworm bookworm-updates
                """);

        assertThat(AptMirror.of(apt)).isEqualTo("http://mirror.example.org/debian");
    }

    @Test
    void oneLineSources_giveTheirDebianUrl_skippingOptionsAndOtherArchives() throws Exception {
        Files.writeString(apt.resolve("sources.list"), """
                # deb http://commented.example.org/debian bookworm main
                deb https://packages.cloud.google.com/apt cloud-sdk-bookworm main
                deb [signed-by=/usr/share/keyrings/k.gpg] https://ftp.example.org/pub/debian bookworm main
                """);

        assertThat(AptMirror.of(apt)).isEqualTo("https://ftp.example.org/pub/debian");
    }

    @Test
    void noSources_giveDebiansOwnMirror() {
        assertThat(AptMirror.of(apt)).isEqualTo(AptMirror.FALLBACK);
    }

    @Test
    void aMirror_isAnHttpUrlEndingInDebian_withoutCredentials() {
        assertThat(AptMirror.isDebianMirror("http://deb.debian.org/debian")).isTrue();
        assertThat(AptMirror.isDebianMirror("http://deb.debian.org/debian-security")).isFalse();
        assertThat(AptMirror.isDebianMirror("http://user:pw@host/debian")).isFalse();
        assertThat(AptMirror.isDebianMirror("file:///srv/debian")).isFalse();
        assertThat(AptMirror.isDebianMirror("http://host/debian; rm -rf /")).isFalse();
    }
}
