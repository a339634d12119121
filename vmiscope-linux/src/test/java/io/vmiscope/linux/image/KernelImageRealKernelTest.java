package io.vmiscope.linux.image;

import io.vmiscope.guest.CloudKernel;
import io.vmiscope.linux.symbols.KernelSymbol;
import io.vmiscope.linux.symbols.ProfileException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Debian cloud kernel (6.1, LZ4-legacy bzImage) end to end; opened once per class. */
class KernelImageRealKernelTest {

    private static Path vmlinuz;
    private static byte[] vmlinuzBytes;
    private static KernelImage image;
    private static Map<String, KernelSymbol> byName;

    @TempDir
    static Path dir;

    @BeforeAll
    static void openTheRealImage() throws IOException {
        vmlinuz = CloudKernel.fetchDefault().vmlinuz();
        vmlinuzBytes = Files.readAllBytes(vmlinuz);
        long start = System.nanoTime();
        image = KernelImage.open(vmlinuz);
        long opened = System.nanoTime();
        List<KernelSymbol> symbols = image.symbols();
        long decoded = System.nanoTime();
        System.out.printf("%s: open (decompress + ELF) %d ms, kallsyms %d ms, %d symbols%n", image.name(),
                (opened - start) / 1_000_000, (decoded - opened) / 1_000_000, symbols.size());
        byName = symbols.stream().collect(Collectors.toMap(KernelSymbol::name, Function.identity(), (a, b) -> a));
    }

    private static Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void open_decompressesTheLz4LegacyPayload_intoAnElfVmlinux() {
        assertThat(image.bzImage()).hasValueSatisfying(bz -> {
            assertThat(bz.compression()).isEqualTo(Compression.LZ4_LEGACY);
            assertThat(bz.protocolVersion()).isGreaterThanOrEqualTo(0x020f);
        });
        assertThat(image.elf().machine()).isEqualTo(62);
        assertThat(image.elf().section(".text")).hasValueSatisfying(s -> assertThat(s.address()).isEqualTo(0xffffffff81000000L));
        assertThat(image.buildId()).matches("[0-9a-f]{40}");
    }

    @Test
    void symbols_includeEveryKallsymsEntry_sortedByAddress() {
        List<KernelSymbol> symbols = image.symbols();

        assertThat(symbols).hasSizeGreaterThan(50_000);
        for (int i = 1; i < symbols.size(); i++) {
            assertThat(Long.compareUnsigned(symbols.get(i - 1).address(), symbols.get(i).address()))
                    .as("symbol %d", i).isLessThanOrEqualTo(0);
        }
        assertThat(image.kallsyms().addressEncoding()).isEqualTo(Kallsyms.AddressEncoding.BASE_RELATIVE_ABSOLUTE_PERCPU);
        assertThat(image.kallsyms().order()).isEqualTo(Kallsyms.TableOrder.OFFSETS_FIRST_WITH_SEQS);
    }

    @Test
    void symbols_placeWellKnownKernelSymbols_whereTheyBelong() {
        ElfFile.Section text = image.elf().section(".text").orElseThrow();
        ElfFile.Section data = image.elf().section(".data").orElseThrow();

        assertThat(byName.get("_text")).isEqualTo(new KernelSymbol("_text", 0xffffffff81000000L, 'T'));
        assertThat(byName.get("_stext").address()).isEqualTo(0xffffffff81000000L);
        KernelSymbol initTask = byName.get("init_task");
        assertThat(initTask.type()).isEqualTo('D');
        assertThat(initTask.address()).isBetween(data.address(), data.address() + data.sizeBytes());
        KernelSymbol openat = byName.get("__x64_sys_openat");
        assertThat(openat.type()).isEqualTo('T');
        assertThat(openat.address()).isBetween(text.address(), text.address() + text.sizeBytes());
        assertThat(byName.get("linux_banner").type()).isIn('D', 'R');
        assertThat(byName.keySet()).contains("sys_call_table", "init_mm", "do_exit", "kernel_clone", "init_top_pgt");
    }

    @Test
    void symbols_pointAtTheirOwnData_forWhicheverBuildDebianServes() {
        // the kallsyms address of linux_banner, read through the ELF's own segments, is the banner: an
        // independent check of the decoded addresses that holds for every build (fixed addresses would not)
        ByteBuffer banner = image.elf().bytesAt(byName.get("linux_banner").address(), 64);
        byte[] text = new byte[banner.remaining()];
        banner.get(text);

        assertThat(new String(text, StandardCharsets.US_ASCII)).startsWith("Linux version 6.1");
    }

    @Test
    void banner_isTheLinuxVersionString() {
        assertThat(image.banner()).startsWith("Linux version 6.1").doesNotContain("\n").hasSizeLessThan(KernelImage.MAX_BANNER_BYTES);
        assertThat(image.describe()).startsWith(image.name() + ": bzImage (boot protocol 2.")
                .contains("lz4-legacy", image.buildId(), "Linux version 6.1");
    }

    @Test
    void section_returnsTheBtfBlob_withItsMagic() {
        ByteBuffer btf = image.section(".BTF").orElseThrow();

        assertThat(btf.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        assertThat(Short.toUnsignedInt(btf.getShort(0))).isEqualTo(0xeb9f);
        assertThat(image.section(".no-such-section")).isEmpty();
    }

    @Test
    void open_acceptsTheDecompressedVmlinux_andFindsTheSameSymbols() throws IOException {
        ByteBuffer elfBytes = image.elf().bytes();
        byte[] copy = new byte[elfBytes.remaining()];
        elfBytes.get(copy);

        KernelImage raw = KernelImage.open(write("vmlinux", copy));

        assertThat(raw.bzImage()).isEmpty();
        assertThat(raw.symbols()).isEqualTo(image.symbols());
        assertThat(raw.buildId()).isEqualTo(image.buildId());
    }

    @Test
    void open_reportsTruncation_atEveryCutPoint() throws IOException {
        BzImage bz = image.bzImage().orElseThrow();
        int payloadEnd = (int) (bz.payloadFileOffset() + bz.payloadLengthBytes());
        for (int length : new int[] {1, 0x1f0, 0x203, 0x240, 0x4000, vmlinuzBytes.length / 2, payloadEnd - 1}) {
            Path cut = write("vmlinuz-cut", Arrays.copyOf(vmlinuzBytes, length));

            assertThatThrownBy(() -> KernelImage.open(cut)).as("cut to %d bytes", length)
                    .isExactlyInstanceOf(ProfileException.class)
                    .hasMessageStartingWith("vmlinuz-cut: ")
                    .hasMessageNotContaining("\n");
        }
        Path cut = write("vmlinuz-cut", Arrays.copyOf(vmlinuzBytes, vmlinuzBytes.length / 2));
        assertThatThrownBy(() -> KernelImage.open(cut)).hasMessageContaining("truncated: payload at 0x");
    }

    @Test
    void open_reportsATruncatedLz4Payload_byBlock() throws IOException {
        byte[] copy = vmlinuzBytes.clone();
        ByteBuffer header = ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0x24c, header.getInt(0x24c) / 2); // claim half the payload: the LZ4 frame ends mid-block

        assertThatThrownBy(() -> KernelImage.open(write("vmlinuz-half", copy)))
                .isExactlyInstanceOf(ProfileException.class)
                .hasMessageMatching("vmlinuz-half: truncated LZ4 payload at block \\d+: block of \\d+ bytes, \\d+ left");
    }

    @Test
    void open_reportsACorruptedHeader() throws IOException {
        byte[] noMagic = vmlinuzBytes.clone();
        noMagic[0x202] = 'X';
        byte[] badOffset = vmlinuzBytes.clone();
        ByteBuffer.wrap(badOffset).order(ByteOrder.LITTLE_ENDIAN).putInt(0x248, 0x7000_0000);
        byte[] shiftedPayload = vmlinuzBytes.clone();
        ByteBuffer header = ByteBuffer.wrap(shiftedPayload).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0x248, header.getInt(0x248) + 1);

        assertThatThrownBy(() -> KernelImage.open(write("vmlinuz-nomagic", noMagic)))
                .isExactlyInstanceOf(ProfileException.class)
                .hasMessage("vmlinuz-nomagic: not a Linux kernel image (no HdrS setup header, no ELF magic)");
        assertThatThrownBy(() -> KernelImage.open(write("vmlinuz-offset", badOffset)))
                .isExactlyInstanceOf(ProfileException.class).hasMessageContaining("extends past the end of the file");
        assertThatThrownBy(() -> KernelImage.open(write("vmlinuz-shifted", shiftedPayload)))
                .isExactlyInstanceOf(ProfileException.class)
                .hasMessageStartingWith("vmlinuz-shifted: unknown payload compression (magic 21 4c 18");
    }

    @Test
    void open_eitherSucceedsOrThrowsProfileException_whenPayloadBytesAreFlipped() throws IOException {
        BzImage bz = image.bzImage().orElseThrow();
        Random random = new Random(11);
        for (int round = 0; round < 3; round++) {
            byte[] copy = vmlinuzBytes.clone();
            int at = (int) bz.payloadFileOffset() + 4 + random.nextInt((int) bz.payloadLengthBytes() - 8);
            copy[at] ^= (byte) (1 + random.nextInt(255));
            Path flipped = write("vmlinuz-flipped", copy);
            try {
                KernelImage opened = KernelImage.open(flipped);
                opened.symbols();
                opened.banner();
            } catch (ProfileException expected) {
                assertThat(expected.getMessage()).startsWith("vmlinuz-flipped: ").doesNotContain("\n");
            }
        }
    }

    @Test
    void open_rejectsACorruptedSectionTableInTheVmlinux() throws IOException {
        ByteBuffer elfBytes = image.elf().bytes();
        byte[] copy = new byte[elfBytes.remaining()];
        elfBytes.get(copy);
        ByteBuffer header = ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
        int btf = image.elf().section(".BTF").orElseThrow().index();
        int shoff = (int) header.getLong(0x28);
        header.putLong(shoff + btf * 64 + 24, copy.length - 16); // .BTF sh_offset near the end

        assertThatThrownBy(() -> KernelImage.open(write("vmlinux-badsections", copy)))
                .isExactlyInstanceOf(ProfileException.class)
                .hasMessageMatching("vmlinux-badsections: section " + btf + " \\[0x[0-9a-f]+ \\+ 0x[0-9a-f]+\\] "
                        + "extends past the end of the file \\(0x[0-9a-f]+ bytes\\): truncated or corrupted");
    }

    @Test
    void open_rejectsGarbage_emptyFiles_missingFiles_andDirectories() throws IOException {
        byte[] garbage = new byte[1 << 20];
        new Random(5).nextBytes(garbage);

        assertThatThrownBy(() -> KernelImage.open(write("garbage.bin", garbage)))
                .isExactlyInstanceOf(ProfileException.class)
                .hasMessage("garbage.bin: not a Linux kernel image (no HdrS setup header, no ELF magic)");
        assertThatThrownBy(() -> KernelImage.open(write("foo.txt", "hello\n".getBytes())))
                .isExactlyInstanceOf(ProfileException.class)
                .hasMessage("foo.txt: not a Linux kernel image (no HdrS setup header, no ELF magic)");
        assertThatThrownBy(() -> KernelImage.open(write("empty", new byte[0])))
                .isExactlyInstanceOf(ProfileException.class).hasMessage("empty: empty file, not a Linux kernel image");
        assertThatThrownBy(() -> KernelImage.open(dir.resolve("missing")))
                .isExactlyInstanceOf(ProfileException.class).hasMessageStartingWith("missing: no such file");
        assertThatThrownBy(() -> KernelImage.open(dir))
                .isExactlyInstanceOf(ProfileException.class).hasMessageContaining("not a regular file");
    }

    @Test
    void open_rejectsAnElfWithoutKallsyms_whenSymbolsAreAsked() throws IOException {
        byte[] elf = new TestElf().progbits(".text", 0xffffffff81000000L, new byte[4096])
                .progbits(".rodata", 0xffffffff82000000L, new byte[8192]).build();
        KernelImage tiny = KernelImage.open(write("vmlinux-tiny", elf));

        assertThatThrownBy(tiny::symbols).isExactlyInstanceOf(ProfileException.class)
                .hasMessageStartingWith("vmlinux-tiny: no kallsyms_token_table in 8192 bytes at 0xffffffff82000000");
        assertThat(tiny.buildId()).isEmpty();
    }
}
