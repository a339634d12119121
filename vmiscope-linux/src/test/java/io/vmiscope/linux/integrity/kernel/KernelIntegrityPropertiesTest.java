package io.vmiscope.linux.integrity.kernel;

import io.vmiscope.linux.image.KaslrRelocations;
import io.vmiscope.linux.symbols.ProfileException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Hostile guest memory and hostile images: every reader ends within its limits and never throws for bad data. */
class KernelIntegrityPropertiesTest {

    @Property
    void aGarbageIdt_ofAnyLength_givesAtMostOneFindingPerGate(@ForAll @Size(max = 8192) byte[] table) {
        assertThat(EntryPointVerifierTest.verifier(null).compare(table)).hasSizeLessThanOrEqualTo(IdtLayout.VECTORS);
    }

    @Property
    void anyMonitorOutput_givesAtMostOneIdtrPerVcpuLimit(@ForAll String output) {
        assertThat(Idtr.parseAll(output + "\nIDT=     " + output)).hasSizeLessThanOrEqualTo(Idtr.MAX_VCPUS);
    }

    @Property
    void anyCode_endsInATargetOrAReason_withinTheStepLimit(@ForAll @Size(max = 512) byte[] code, @ForAll int nr) {
        SwitchDecoder.Outcome outcome = SwitchDecoder.follow(code, SwitchDecoderTest.F, SwitchDecoderTest.FENTRY, nr);

        assertThat(outcome.target() == -1).isEqualTo(outcome.problem() != null);
    }

    @Property(tries = 60)
    void garbageText_andUnmappedPages_giveBoundedFindings_andEveryPageIsAccountedFor(
            @ForAll @Size(TextFixture.LENGTH) byte[] live,
            @ForAll @Size(max = TextFixture.PAGES) Set<@IntRange(max = TextFixture.PAGES - 1) Integer> unmapped) {
        TextFixture fixture = new TextFixture().load(live);
        unmapped.forEach(page -> fixture.tables.setRawEntry(TextFixture.TEXT + TextFixture.SLIDE + page * 4096L, 1, 0));

        KernelTextCheck check = fixture.verifier(TextPatchSites.of(Map.of())).verify();

        assertThat(check.pagesCompared()).isEqualTo(TextFixture.PAGES - unmapped.size());
        assertThat(check.findings()).hasSizeLessThanOrEqualTo(KernelTextVerifier.MAX_FINDINGS)
                .allSatisfy(f -> assertThat(f.runs()).hasSizeLessThanOrEqualTo(KernelTextVerifier.MAX_RUNS_PER_PAGE));
        assertThat(check.findings().stream().filter(f -> f.unreadable() != null)).hasSize(unmapped.size());
    }

    @Property
    void anyRelocationTable_isParsedOrRejectedWithAProfileError(@ForAll @Size(max = 64) int[] words) {
        ByteBuffer table = ByteBuffer.allocate(words.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) {
            table.putInt(w);
        }
        Throwable failure = catchThrowable(() -> KaslrRelocations.parse(table.flip(), TextFixture.TEXT,
                TextFixture.TEXT + TextFixture.LENGTH, "t"));

        assertThat(failure).satisfiesAnyOf(f -> assertThat(f).isNull(), f -> assertThat(f).isInstanceOf(ProfileException.class));
    }
}
