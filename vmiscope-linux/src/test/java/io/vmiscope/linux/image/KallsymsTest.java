package io.vmiscope.linux.image;

import io.vmiscope.linux.image.KallsymsFixture.Layout;
import io.vmiscope.linux.symbols.KernelSymbol;
import io.vmiscope.linux.symbols.ProfileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.vmiscope.linux.image.KallsymsFixture.BASE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KallsymsTest {

    private static Kallsyms locate(byte[] region) {
        return Kallsyms.locate(ImageFixtures.wrap(region), BASE, "fixture");
    }

    @ParameterizedTest(name = "{0}, per-CPU symbols {1}")
    @CsvSource({
            "OFFSETS_FIRST, true, OFFSETS_FIRST, BASE_RELATIVE_ABSOLUTE_PERCPU",
            "OFFSETS_FIRST, false, OFFSETS_FIRST, BASE_RELATIVE",
            "OFFSETS_FIRST_WITH_SEQS, true, OFFSETS_FIRST_WITH_SEQS, BASE_RELATIVE_ABSOLUTE_PERCPU",
            "OFFSETS_FIRST_WITH_SEQS, false, OFFSETS_FIRST_WITH_SEQS, BASE_RELATIVE",
            "NAMES_FIRST, true, NAMES_FIRST, BASE_RELATIVE_ABSOLUTE_PERCPU",
            "NAMES_FIRST, false, NAMES_FIRST, BASE_RELATIVE",
            "NAMES_FIRST_PC_RELATIVE, false, NAMES_FIRST, PC_RELATIVE",
    })
    void locate_decodesEverySymbol_inEachSupportedLayout(Layout layout, boolean percpu,
                                                         Kallsyms.TableOrder order, Kallsyms.AddressEncoding encoding) {
        List<KernelSymbol> symbols = KallsymsFixture.sampleSymbols(700, percpu);

        Kallsyms kallsyms = locate(KallsymsFixture.region(layout, symbols));

        assertThat(kallsyms.symbols()).containsExactlyElementsOf(symbols);
        assertThat(kallsyms.order()).isEqualTo(order);
        assertThat(kallsyms.addressEncoding()).isEqualTo(encoding);
        assertThat(kallsyms.describe()).startsWith(symbols.size() + " kallsyms symbols (" + order);
    }

    @Test
    void locate_decodesNamesLongerThan127Tokens_withTheTwoByteLength() {
        List<KernelSymbol> symbols = KallsymsFixture.sampleSymbols(10, true);

        Kallsyms kallsyms = locate(KallsymsFixture.region(Layout.OFFSETS_FIRST, symbols));

        assertThat(kallsyms.symbols()).filteredOn(s -> s.name().startsWith("long_"))
                .singleElement().satisfies(s -> assertThat(s.name()).hasSizeGreaterThan(150));
    }

    @Test
    void locate_failsClearly_whenThereIsNoTokenTable() {
        byte[] noise = new byte[1 << 16];
        new Random(1).nextBytes(noise);

        assertThatThrownBy(() -> locate(noise)).isExactlyInstanceOf(ProfileException.class)
                .hasMessageStartingWith("fixture: no kallsyms_token_table");
        assertThatThrownBy(() -> locate(new byte[4096])).isExactlyInstanceOf(ProfileException.class)
                .hasMessageContaining("no kallsyms_token_table");
    }

    @Test
    void locate_rejectsTables_withoutTheSymbolsEveryKernelHas() {
        List<KernelSymbol> symbols = KallsymsFixture.sampleSymbols(300, true).stream()
                .map(s -> s.name().equals("linux_banner") ? new KernelSymbol("linux_bannex", s.address(), s.type()) : s)
                .toList();

        assertThatThrownBy(() -> locate(KallsymsFixture.region(Layout.OFFSETS_FIRST, symbols)))
                .isExactlyInstanceOf(ProfileException.class).hasMessageContaining("lack linux_banner");
    }

    @Test
    void locate_rejectsAddresses_whoseBannerIsNotLinuxVersion() {
        byte[] region = KallsymsFixture.region(Layout.OFFSETS_FIRST, KallsymsFixture.sampleSymbols(300, true));
        byte[] changed = "Linux versi0n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(changed, 0, region, (int) (KallsymsFixture.BANNER_ADDRESS - BASE), changed.length);

        assertThatThrownBy(() -> locate(region)).isExactlyInstanceOf(ProfileException.class)
                .hasMessageContaining("no address table decodes to sorted addresses");
    }

    @Test
    void locate_rejectsUnsortedAddresses() {
        List<KernelSymbol> sorted = KallsymsFixture.sampleSymbols(300, false);
        List<KernelSymbol> swapped = new ArrayList<>(sorted);
        KernelSymbol a = swapped.get(10);
        KernelSymbol b = swapped.get(11);
        swapped.set(10, new KernelSymbol(a.name(), b.address() + 8, a.type()));

        assertThatThrownBy(() -> locate(KallsymsFixture.region(Layout.OFFSETS_FIRST, swapped)))
                .isExactlyInstanceOf(ProfileException.class).hasMessageContaining("sorted");
    }

    @Test
    void locate_failsWithProfileExceptionOnly_forEveryTruncation() {
        for (Layout layout : Layout.values()) {
            byte[] region = KallsymsFixture.region(layout, KallsymsFixture.sampleSymbols(600, layout != Layout.NAMES_FIRST_PC_RELATIVE));
            for (int length = 0; length < region.length; length += 97) {
                byte[] cut = Arrays.copyOf(region, length);
                try {
                    locate(cut);
                } catch (ProfileException expected) {
                    assertThat(expected.getMessage()).startsWith("fixture: ").doesNotContain("\n");
                }
            }
        }
    }

    @Test
    void locate_eitherDecodesOrFailsWithProfileException_whenBytesAreFlipped() {
        byte[] region = KallsymsFixture.region(Layout.OFFSETS_FIRST_WITH_SEQS, KallsymsFixture.sampleSymbols(600, true));
        Random random = new Random(42);
        int decoded = 0;
        int rejected = 0;
        for (int round = 0; round < 400; round++) {
            byte[] copy = region.clone();
            for (int flips = 0; flips < 1 + random.nextInt(3); flips++) {
                copy[random.nextInt(copy.length)] ^= (byte) (1 + random.nextInt(255));
            }
            try {
                assertThat(locate(copy).symbols()).isNotEmpty();
                decoded++;
            } catch (ProfileException expected) {
                rejected++;
            }
        }
        assertThat(decoded + rejected).isEqualTo(400);
        assertThat(rejected).isPositive();
    }
}
