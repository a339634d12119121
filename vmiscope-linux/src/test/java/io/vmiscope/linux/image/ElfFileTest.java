package io.vmiscope.linux.image;

import io.vmiscope.linux.symbols.ProfileException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static io.vmiscope.linux.image.ImageFixtures.wrap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ElfFileTest {

    private static final long TEXT = 0xffffffff81000000L;
    private static final long RODATA = 0xffffffff82000000L;
    private static final byte[] BUILD_ID = HexFormat.of().parseHex("3b43fad5034874490492495d552c0af6a5fab235");
    private static final byte[] ELF = new TestElf()
            .progbits(".text", TEXT, "code".repeat(64).getBytes(StandardCharsets.US_ASCII))
            .progbits(".rodata", RODATA, "Linux version 6.1.0-test\n\0".getBytes(StandardCharsets.US_ASCII))
            .note(".notes", RODATA + 0x1000, TestElf.buildIdNotes(BUILD_ID))
            .nobits(".bss", RODATA + 0x100000, 0x8000)
            .build();

    private static ElfFile parse(byte[] bytes) {
        return ElfFile.parse(wrap(bytes), "vmlinux-test");
    }

    @Test
    void parse_readsSectionsWithNames_andSegments() {
        ElfFile elf = parse(ELF);

        assertThat(elf.sections()).extracting(ElfFile.Section::name)
                .containsExactly("", ".text", ".rodata", ".notes", ".bss", ".shstrtab");
        assertThat(elf.section(".rodata")).hasValueSatisfying(s -> assertThat(s.address()).isEqualTo(RODATA));
        assertThat(elf.segments()).extracting(ElfFile.Segment::type)
                .containsExactly(ElfFile.PT_LOAD, ElfFile.PT_LOAD, ElfFile.PT_LOAD, ElfFile.PT_NOTE);
        assertThat(elf.machine()).isEqualTo(62);
        assertThat(elf.entry()).isEqualTo(TEXT);
        assertThat(elf.sizeBytes()).isEqualTo(ELF.length);
    }

    @Test
    void sectionData_returnsTheBytes_andNothingForNobitsOrMissingSections() {
        ElfFile elf = parse(ELF);

        ByteBuffer rodata = elf.sectionData(".rodata").orElseThrow();
        assertThat(rodata.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        assertThat(rodata.isReadOnly()).isTrue();
        assertThat(StandardCharsets.US_ASCII.decode(rodata).toString()).startsWith("Linux version 6.1.0-test");
        assertThat(elf.sectionData(".bss")).isEmpty();
        assertThat(elf.sectionData(".BTF")).isEmpty();
    }

    @Test
    void fileOffset_mapsVirtualAddressesThroughTheLoadSegments() {
        ElfFile elf = parse(ELF);
        long rodataOffset = elf.section(".rodata").orElseThrow().offset();

        assertThat(elf.fileOffset(RODATA + 6)).hasValue(rodataOffset + 6);
        assertThat(elf.fileOffset(RODATA + 0x100000)).isEmpty();
        assertThat(elf.fileOffset(0)).isEmpty();
        assertThat(StandardCharsets.US_ASCII.decode(elf.bytesAt(RODATA + 6, 7)).toString()).isEqualTo("version");
        assertThatThrownBy(() -> elf.bytesAt(0x1234, 4)).isExactlyInstanceOf(ProfileException.class)
                .hasMessage("vmlinux-test: address 0x1234 is not backed by any PT_LOAD segment or section");
    }

    @Test
    void buildId_isTheGnuNote_asHex() {
        assertThat(parse(ELF).buildId()).hasValue("3b43fad5034874490492495d552c0af6a5fab235");
        assertThat(parse(new TestElf().progbits(".text", TEXT, new byte[16]).build()).buildId()).isEmpty();
    }

    @Test
    void parse_rejectsASectionTablePastTheEndOfTheFile() {
        byte[] bad = ELF.clone();
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putLong(0x28, bad.length - 10);

        assertThatThrownBy(() -> parse(bad)).isExactlyInstanceOf(ProfileException.class)
                .hasMessageStartingWith("vmlinux-test: section header table [0x")
                .hasMessageEndingWith("extends past the end of the file (0x" + Integer.toHexString(bad.length)
                        + " bytes): truncated or corrupted");
    }

    @Test
    void parse_rejectsASectionWhoseExtentIsOutsideTheFile() {
        byte[] bad = ELF.clone();
        ByteBuffer buf = ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN);
        int shoff = (int) buf.getLong(0x28);
        buf.putLong(shoff + 2 * 64 + 32, 0x7fff_ffff_ffffL); // .rodata sh_size

        assertThatThrownBy(() -> parse(bad)).isExactlyInstanceOf(ProfileException.class)
                .hasMessageStartingWith("vmlinux-test: section 2 [0x");
    }

    @Test
    void parse_rejectsBadNameTableIndexAndNameOffsets() {
        byte[] badIndex = ELF.clone();
        ByteBuffer.wrap(badIndex).order(ByteOrder.LITTLE_ENDIAN).putShort(0x3e, (short) 40);
        byte[] badName = ELF.clone();
        ByteBuffer buf = ByteBuffer.wrap(badName).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt((int) buf.getLong(0x28) + 64, 0x7000_0000);

        assertThatThrownBy(() -> parse(badIndex)).isExactlyInstanceOf(ProfileException.class)
                .hasMessage("vmlinux-test: section name table index 40 out of range (6 sections)");
        assertThatThrownBy(() -> parse(badName)).isExactlyInstanceOf(ProfileException.class)
                .hasMessageContaining("section 1 name offset 1879048192 outside the section name table");
    }

    @Test
    void parse_rejectsOtherElfClassesAndTinyFiles() {
        byte[] elf32 = ELF.clone();
        elf32[4] = 1;

        assertThatThrownBy(() -> parse(elf32)).isExactlyInstanceOf(ProfileException.class)
                .hasMessage("vmlinux-test: only 64-bit little-endian ELF is supported (EI_CLASS=1, EI_DATA=1)");
        assertThatThrownBy(() -> parse(Arrays.copyOf(ELF, 20))).isExactlyInstanceOf(ProfileException.class)
                .hasMessage("vmlinux-test: truncated ELF header (20 bytes, need 64)");
        assertThatThrownBy(() -> parse(new byte[100])).isExactlyInstanceOf(ProfileException.class)
                .hasMessage("vmlinux-test: no ELF magic");
    }

    @Test
    void parse_failsWithProfileExceptionOnly_forEveryTruncation() {
        for (int length = 0; length < ELF.length; length++) {
            byte[] cut = Arrays.copyOf(ELF, length);
            assertThatThrownBy(() -> parse(cut)).as("cut to %d bytes", length)
                    .isExactlyInstanceOf(ProfileException.class);
        }
    }

    @Test
    void parse_neverThrowsAnythingButProfileException_forCorruptedHeaders() {
        Random random = new Random(3);
        int headerBytes = 64 + 56 * 4;
        int shoff = (int) wrap(ELF).getLong(0x28);
        for (int round = 0; round < 2000; round++) {
            byte[] copy = ELF.clone();
            int at = random.nextBoolean() ? random.nextInt(headerBytes) : shoff + random.nextInt(ELF.length - shoff);
            copy[at] = (byte) random.nextInt(256);
            try {
                ElfFile elf = parse(copy);
                elf.buildId();
                elf.sectionData(".rodata");
                elf.fileOffset(RODATA);
            } catch (ProfileException expected) {
                assertThat(expected.getMessage()).startsWith("vmlinux-test: ");
            }
        }
    }
}
