package io.vmiscope.linux.integrity.kernel;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KernelTextVerifierTest {

    private static final TextPatchSites NO_SITES = TextPatchSites.of(Map.of());

    @Test
    void relocatedText_isIntact_andTheRelocatedBytesAreCounted() {
        TextFixture fixture = new TextFixture();
        KernelTextCheck check = fixture.load(fixture.relocated()).verifier(NO_SITES).verify();

        assertThat(check.isIntact()).isTrue();
        assertThat(check.findings()).isEmpty();
        assertThat(check.pagesCompared()).isEqualTo(TextFixture.PAGES);
        assertThat(check.sites()).containsEntry(PatchClass.RELOCATION, 2);
        assertThat(check.bytesAccounted().get(PatchClass.RELOCATION)).isBetween(4L, 12L);
        assertThat(check.reads()).isEqualTo(1);
    }

    @Test
    void textLeftAtItsLinkAddressUnderASlide_differsWhereTheRelocatedWordsAre() {
        TextFixture fixture = new TextFixture();
        KernelTextCheck check = fixture.load(fixture.text.clone()).verifier(NO_SITES).verify();

        assertThat(check.pagesDiffering()).isEqualTo(1);
        assertThat(check.findings().get(0).runs()).extracting(KernelTextFinding.Run::symbol)
                .containsExactly("_stext+0x102", "_stext+0x20a"); // the slide changes bytes 2 and 3
    }

    @Test
    void onePatchedByte_isReportedWithItsPageOffsetAndFunction() {
        TextFixture fixture = new TextFixture();
        byte[] live = fixture.relocated();
        live[0x1842] ^= 0x5a;
        KernelTextCheck check = fixture.load(live).verifier(NO_SITES).verify();

        assertThat(check.pagesDiffering()).isEqualTo(1);
        KernelTextFinding finding = check.findings().get(0);
        assertThat(finding.pageAddress()).isEqualTo(TextFixture.TEXT + TextFixture.SLIDE + 0x1000);
        assertThat(finding.differingBytes()).isEqualTo(1);
        assertThat(finding.runs()).containsExactly(new KernelTextFinding.Run(0x842, 1, "beta+0x42"));
        assertThat(finding).hasToString("kernel text page " + io.vmiscope.api.Hex.address(finding.pageAddress())
                + " differs from the image in 1 byte: +0x842 (1 byte in beta+0x42)");
    }

    @Test
    void changesAtPatchSites_areNotFindings_butAreCountedPerClass() {
        TextFixture fixture = new TextFixture();
        byte[] live = fixture.relocated();
        long ftraceSite = TextFixture.BETA;
        long jumpLabel = TextFixture.TEXT + 0x2100;
        System.arraycopy(new byte[] {0x0f, 0x1f, 0x44, 0x00, 0x00}, 0, live, (int) (ftraceSite - TextFixture.TEXT), 5);
        live[0x2100] = 0x66; // the 2-byte NOP
        live[0x2101] = (byte) 0x90;
        TextPatchSites sites = TextPatchSites.of(Map.of(PatchClass.FTRACE, List.of(new long[] {ftraceSite, 5}),
                PatchClass.JUMP_LABEL, List.of(new long[] {jumpLabel, 2})));

        KernelTextCheck check = fixture.load(live).verifier(sites).verify();

        assertThat(check.isIntact()).isTrue();
        assertThat(check.bytesAccounted().get(PatchClass.JUMP_LABEL)).isBetween(1L, 2L);
        assertThat(check.bytesAccounted().get(PatchClass.FTRACE)).isBetween(1L, 5L);
        assertThat(check.sites()).containsEntry(PatchClass.FTRACE, 1).containsEntry(PatchClass.JUMP_LABEL, 1);
        assertThat(check.summary()).contains("3 pages compared, 0 differing", "jump labels " + check.bytesAccounted().get(PatchClass.JUMP_LABEL) + " (1 sites)");
    }

    @Test
    void aPatchNextToASite_isStillFound() {
        TextFixture fixture = new TextFixture();
        byte[] live = fixture.relocated();
        live[0x2105] ^= 1;
        TextPatchSites sites = TextPatchSites.of(Map.of(PatchClass.RETURN_THUNK, List.of(new long[] {TextFixture.TEXT + 0x2100, 5})));

        KernelTextCheck check = fixture.load(live).verifier(sites).verify();

        assertThat(check.findings()).singleElement().satisfies(f ->
                assertThat(f.runs()).containsExactly(new KernelTextFinding.Run(0x105, 1, "beta+0x905")));
    }

    @Test
    void anUnmappedPage_isAFinding_andTheOtherPagesAreStillCompared() {
        TextFixture fixture = new TextFixture();
        fixture.load(fixture.relocated());
        fixture.tables.setRawEntry(TextFixture.TEXT + TextFixture.SLIDE + 0x1000, 1, 0); // clear the PTE

        KernelTextCheck check = fixture.verifier(NO_SITES).verify();

        assertThat(check.pagesCompared()).isEqualTo(2);
        assertThat(check.pagesDiffering()).isEqualTo(1);
        assertThat(check.findings()).singleElement().satisfies(f -> {
            assertThat(f.unreadable()).isNotBlank();
            assertThat(f.toString()).contains("cannot be read");
        });
    }

    @Test
    void anInlineHookInTheFtraceSiteAtAFunctionsEntry_isAFinding() {
        TextFixture fixture = new TextFixture();
        byte[] live = fixture.relocated();
        int entry = (int) (TextFixture.BETA - TextFixture.TEXT);
        live[entry] = (byte) 0xe9; // jmp rel32 to wherever the hook lives
        live[entry + 1] = 0x10;
        TextPatchSites sites = TextPatchSites.of(Map.of(PatchClass.FTRACE, List.of(new long[] {TextFixture.BETA, 5})));

        KernelTextCheck check = fixture.load(live).verifier(sites).verify();

        assertThat(check.findings()).singleElement().satisfies(f ->
                assertThat(f.runs().get(0).symbol()).isEqualTo("beta"));
    }

    @Test
    void aJumpLabel_mayJumpToItsOwnTarget_butNowhereElse() {
        TextFixture fixture = new TextFixture();
        long site = TextFixture.TEXT + 0x2100;
        long target = TextFixture.TEXT + 0x2180;
        TextPatchSites sites = TextPatchSites.of(Map.of(PatchClass.JUMP_LABEL, List.of(new long[] {site, 5, target})));
        byte[] toTarget = fixture.relocated();
        toTarget[0x2100] = (byte) 0xe9;
        ByteBuffer.wrap(toTarget).order(ByteOrder.LITTLE_ENDIAN).putInt(0x2101, (int) (target - (site + 5)));
        byte[] elsewhere = toTarget.clone();
        ByteBuffer.wrap(elsewhere).order(ByteOrder.LITTLE_ENDIAN).putInt(0x2101, (int) (target + 0x40 - (site + 5)));

        assertThat(fixture.load(toTarget).verifier(sites).verify().isIntact()).isTrue();
        assertThat(fixture.load(elsewhere).verifier(sites).verify().findings()).hasSize(1);
    }
}
