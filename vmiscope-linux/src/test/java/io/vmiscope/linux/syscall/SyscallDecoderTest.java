package io.vmiscope.linux.syscall;

import io.vmiscope.api.TransportException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyscallDecoderTest {

    private static final long STR = 0x7f00_0000_1000L;
    private static final long ARR = 0x7f00_0010_0000L;
    private static final long BUF = 0x7f00_0020_0000L;
    private static final DecodeLimits LIMITS = DecodeLimits.DEFAULT;

    private final FakeUserMemory memory = new FakeUserMemory();

    private List<DecodedArg> decode(String syscall, long... args) {
        return SyscallDecoder.decode(syscall, Arrays.copyOf(args, 6), memory, LIMITS);
    }

    private DecodedArg arg(String syscall, String name, long... args) {
        return decode(syscall, args).stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> texts(List<DecodedArg> args) {
        return args.stream().map(DecodedArg::text).toList();
    }

    @Test
    void openat_showsDirfdPathFlagsAndMode_inOneRoundTrip() {
        memory.putString(STR, "/etc/passwd");

        List<DecodedArg> args = decode("openat", -100, STR, 0x241 | 0x80000, 0644);

        assertThat(texts(args)).containsExactly("AT_FDCWD", "\"/etc/passwd\"", "O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC",
                "0644");
        assertThat(args.get(1).type()).isEqualTo("PATH");
        assertThat(args.get(1).raw()).isEqualTo(STR);
        assertThat(memory.batches).isEqualTo(1);
    }

    @Test
    void aNullPath_isShownAsNull_withoutReading() {
        assertThat(arg("openat", "pathname", 3, 0).text()).isEqualTo("NULL");
        assertThat(memory.reads).isZero();
    }

    @Test
    void unknownSyscalls_giveSixRawHexArguments() {
        List<DecodedArg> args = decode("no_such_call", 1, 0xff, 0, 3, 4, 5);

        assertThat(args).extracting(DecodedArg::name).containsExactly("arg0", "arg1", "arg2", "arg3", "arg4", "arg5");
        assertThat(texts(args)).containsExactly("0x1", "0xff", "0", "0x3", "0x4", "0x5");
    }

    @Test
    void tooFewArgumentRegisters_areRefused() {
        assertThatThrownBy(() -> SyscallDecoder.decode("openat", new long[2], memory, LIMITS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("openat");
    }

    @Test
    void transportFailures_propagate() {
        UserMemory broken = new UserMemory() {
            @Override
            public byte[] read(long userAddress, int length) {
                throw new TransportException("connection closed");
            }

            @Override
            public List<Optional<byte[]>> readAll(List<Range> ranges) {
                throw new TransportException("connection closed");
            }
        };

        assertThatThrownBy(() -> SyscallDecoder.decode("openat", new long[] {-100, STR, 0, 0, 0, 0}, broken, LIMITS))
                .isInstanceOf(TransportException.class);
    }

    @Nested
    class Strings {

        @Test
        void anUnmappedPath_isUnreadable_withItsAddress() {
            DecodedArg path = arg("unlink", "pathname", STR);

            assertThat(path.text()).isEqualTo("<unreadable 0x00007f0000001000>");
            assertThat(path.unreadable()).isTrue();
            assertThat(path.truncated()).isFalse();
        }

        @Test
        void aPathCrossingIntoTheNextPage_isReadInTwoRounds() {
            long start = STR + FakeUserMemory.PAGE - 4;
            memory.putString(start, "/tmp/file");

            DecodedArg path = arg("unlink", "pathname", start);

            assertThat(path.text()).isEqualTo("\"/tmp/file\"");
            assertThat(memory.batches).isEqualTo(2);
            assertThat(memory.bytesRead).isLessThan(FakeUserMemory.PAGE * 2);
        }

        @Test
        void aStringRunningIntoAnUnmappedPage_keepsWhatWasRead_andIsMarked() {
            long start = STR + FakeUserMemory.PAGE - 4;
            memory.put(start, "/tmp".getBytes());

            DecodedArg path = arg("unlink", "pathname", start);

            assertThat(path.text()).isEqualTo("\"/tmp\"...");
            assertThat(path.truncated()).isTrue();
            assertThat(path.unreadable()).isTrue();
        }

        @Test
        void anUnterminatedString_stopsAtTheCap_andIsTruncated() {
            byte[] as = new byte[3 * FakeUserMemory.PAGE];
            Arrays.fill(as, (byte) 'a');
            memory.put(STR, as);

            DecodedArg path = arg("unlink", "pathname", STR);

            assertThat(path.truncated()).isTrue();
            assertThat(path.unreadable()).isFalse();
            assertThat(path.text()).isEqualTo("\"" + "a".repeat(4096) + "\"...");
            assertThat(memory.bytesRead).isEqualTo(4096);
        }

        @Test
        void aGiantStringArgument_isCappedAtTheStringLimit() {
            byte[] bs = new byte[1 << 16];
            Arrays.fill(bs, (byte) 'b');
            memory.put(STR, bs);

            DecodedArg type = arg("mount", "filesystemtype", 0, 0, STR);

            assertThat(type.text()).hasSize(LIMITS.maxStringBytes() + 5);
            assertThat(type.truncated()).isTrue();
            assertThat(memory.bytesRead).isEqualTo(LIMITS.maxStringBytes());
        }

        @Test
        void invalidUtf8_becomesReplacementCharacters() {
            memory.put(STR, new byte[] {'/', (byte) 0xff, (byte) 0xc3, 'x', 0});

            assertThat(arg("unlink", "pathname", STR).text()).isEqualTo("\"/\uFFFD\uFFFDx\"");
        }

        @Test
        void controlAndFormatCharacters_areEscaped_soOneArgumentStaysOneLine() {
            memory.putString(STR, "a\"b\\c\nd\te\u0001f\u202Eg\u00e9");

            assertThat(arg("unlink", "pathname", STR).text()).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\x01f\\u{202e}g\u00e9\"");
        }

        @Test
        void kernelAddresses_areNotFollowed() {
            DecodedArg path = arg("unlink", "pathname", 0xffff_8880_0000_1000L);

            assertThat(path.unreadable()).isTrue();
            assertThat(path.text()).isEqualTo("<unreadable 0xffff888000001000>");
            assertThat(memory.reads).isZero();
        }
    }

    @Nested
    class FlagsAndNumbers {

        @Test
        void openFlags_showTheAccessModeAndEveryKnownBit_unknownBitsInHex() {
            assertThat(Flags.openFlags(0)).isEqualTo("O_RDONLY");
            assertThat(Flags.openFlags(0x2 | 0x800 | 0x10000)).isEqualTo("O_RDWR|O_NONBLOCK|O_DIRECTORY");
            assertThat(Flags.openFlags(0x101001)).isEqualTo("O_WRONLY|O_SYNC");
            assertThat(Flags.openFlags(0x410002)).isEqualTo("O_RDWR|O_TMPFILE");
            assertThat(Flags.openFlags(0x4000_0000 | 0x80000)).isEqualTo("O_RDONLY|O_CLOEXEC|0x40000000");
        }

        @Test
        void modes_areOctal_withTheFileTypeWhenPresent() {
            assertThat(Flags.mode(0644)).isEqualTo("0644");
            assertThat(Flags.mode(0)).isEqualTo("000");
            assertThat(Flags.mode(04755)).isEqualTo("04755");
            assertThat(Flags.mode(0020600)).isEqualTo("S_IFCHR|0600");
            assertThat(Flags.mode(0170644)).isEqualTo("0170000|0644");
        }

        @Test
        void cloneFlags_endWithTheExitSignal() {
            assertThat(Flags.cloneFlags(0x01200011)).isEqualTo("CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD");
            assertThat(Flags.cloneFlags(0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x40000 | 0x80000 | 0x100000 | 0x200000))
                    .isEqualTo("CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS"
                            + "|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID");
            assertThat(Flags.cloneFlags(17)).isEqualTo("SIGCHLD");
            assertThat(Flags.cloneFlags(0)).isEqualTo("0");
        }

        @Test
        void signalsSocketsAndMemoryProtections_haveTheirNames() {
            assertThat(Flags.signal(15)).isEqualTo("SIGTERM");
            assertThat(Flags.signal(9)).isEqualTo("SIGKILL");
            assertThat(Flags.signal(34)).isEqualTo("SIGRTMIN+2");
            assertThat(Flags.signal(99)).isEqualTo("99");
            assertThat(Flags.family(2)).isEqualTo("AF_INET");
            assertThat(Flags.family(10)).isEqualTo("AF_INET6");
            assertThat(Flags.family(999)).isEqualTo("999");
            assertThat(Flags.socketType(1 | 0x80000)).isEqualTo("SOCK_STREAM|SOCK_CLOEXEC");
            assertThat(Flags.socketType(2 | 0x800)).isEqualTo("SOCK_DGRAM|SOCK_NONBLOCK");
            assertThat(Flags.mmapProt(0)).isEqualTo("PROT_NONE");
            assertThat(Flags.mmapProt(3)).isEqualTo("PROT_READ|PROT_WRITE");
            assertThat(Flags.mmapFlags(0x22)).isEqualTo("MAP_PRIVATE|MAP_ANONYMOUS");
            assertThat(Flags.mmapFlags(0x1)).isEqualTo("MAP_SHARED");
            assertThat(Flags.atFlags(0x1100)).isEqualTo("AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH");
            assertThat(Flags.accessMode(0)).isEqualTo("F_OK");
            assertThat(Flags.accessMode(6)).isEqualTo("R_OK|W_OK");
        }

        @Test
        void integerArguments_useTheirCTypesWidth() {
            List<DecodedArg> kill = decode("kill", 0xffff_ffffL, 15);
            assertThat(texts(kill)).containsExactly("-1", "SIGTERM");
            assertThat(arg("read", "count", 3, BUF, -1L).text()).isEqualTo("18446744073709551615");
            assertThat(arg("read", "buf", 3, BUF, 10).text()).isEqualTo("0x7f0000200000");
            assertThat(texts(decode("mmap", 0, 4096, 3, 0x22, 0xffff_ffffL, 0)))
                    .containsExactly("NULL", "4096", "PROT_READ|PROT_WRITE", "MAP_PRIVATE|MAP_ANONYMOUS", "-1", "0");
            assertThat(texts(decode("socket", 2, 1 | 0x80000, 0)))
                    .containsExactly("AF_INET", "SOCK_STREAM|SOCK_CLOEXEC", "0");
            assertThat(arg("dup3", "flags", 3, 4, 0x80000).text()).isEqualTo("O_CLOEXEC");
        }

        @Test
        void returnValues_areFormattedLikeStrace() {
            assertThat(ErrnoNames.name(-2)).contains("ENOENT");
            assertThat(ErrnoNames.name(-133)).contains("EHWPOISON");
            assertThat(ErrnoNames.name(-512)).contains("ERESTARTSYS");
            assertThat(ErrnoNames.name(3)).isEmpty();
            assertThat(ErrnoNames.name(-5000)).isEmpty();
            assertThat(ReturnFormatter.format("openat", 3)).isEqualTo("3");
            assertThat(ReturnFormatter.format("openat", -2)).isEqualTo("-1 ENOENT (No such file or directory)");
            assertThat(ReturnFormatter.format("read", -300)).isEqualTo("-1 errno 300");
            assertThat(ReturnFormatter.format("mmap", 0x7f12_3456_7000L)).isEqualTo("0x7f1234567000");
            assertThat(ReturnFormatter.format("mmap", -12)).isEqualTo("-1 ENOMEM (Cannot allocate memory)");
            assertThat(ReturnFormatter.format("write", 512)).isEqualTo("512");
        }
    }

    @Nested
    class SocketAddresses {

        private byte[] in4(int a, int b, int c, int d, int port) {
            return new byte[] {2, 0, (byte) (port >> 8), (byte) port, (byte) a, (byte) b, (byte) c, (byte) d,
                0, 0, 0, 0, 0, 0, 0, 0};
        }

        @Test
        void anInetAddress_isAddressColonPort() {
            memory.put(BUF, in4(127, 0, 0, 1, 80));

            assertThat(texts(decode("connect", 3, BUF, 16))).containsExactly("3", "127.0.0.1:80", "16");
        }

        @Test
        void anInet6Address_isBracketedAndCompressed() {
            byte[] sin6 = new byte[28];
            sin6[0] = 10;
            sin6[2] = 0x1f;
            sin6[3] = (byte) 0x90;
            sin6[23] = 1;
            memory.put(BUF, sin6);

            assertThat(arg("bind", "addr", 3, BUF, 28).text()).isEqualTo("[::1]:8080");
        }

        @Test
        void ipv6Text_followsRfc5952() {
            byte[] a = new byte[16];
            a[0] = 0x20;
            a[1] = 0x01;
            a[2] = 0x0d;
            a[3] = (byte) 0xb8;
            a[15] = 1;
            assertThat(Sockaddrs.ipv6(a, 0)).isEqualTo("2001:db8::1");
            assertThat(Sockaddrs.ipv6(new byte[16], 0)).isEqualTo("::");
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            mapped[12] = 10;
            mapped[15] = 7;
            assertThat(Sockaddrs.ipv6(mapped, 0)).isEqualTo("::ffff:10.0.0.7");
            byte[] oneZero = {0, 1, 0, 0, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7};
            assertThat(Sockaddrs.ipv6(oneZero, 0)).isEqualTo("1:0:2:3:4:5:6:7");
        }

        @Test
        void aUnixAddress_isItsPath_andAnAbstractOneStartsWithAt() {
            memory.put(BUF, ("\u0001\u0000/run/dbus/system_bus_socket\u0000").getBytes());
            assertThat(arg("connect", "addr", 3, BUF, 30).text()).isEqualTo("/run/dbus/system_bus_socket");

            memory.put(BUF + 0x100, "\u0001\u0000\u0000/tmp/.X11-unix/X0".getBytes());
            assertThat(arg("connect", "addr", 3, BUF + 0x100, 2 + 1 + 17).text()).isEqualTo("@/tmp/.X11-unix/X0");
        }

        @Test
        void otherFamilies_showTheirNumber_andShortAddressesSaySo() {
            memory.put(BUF, new byte[] {16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
            assertThat(arg("bind", "addr", 3, BUF, 12).text()).isEqualTo("family=16");
            memory.put(BUF + 0x100, new byte[] {(byte) 0xff, (byte) 0xff, 1, 2});
            assertThat(arg("bind", "addr", 3, BUF + 0x100, 4).text()).isEqualTo("family=65535");
            memory.put(BUF + 0x200, new byte[] {2, 0, 0, 80});
            assertThat(arg("connect", "addr", 3, BUF + 0x200, 4).text()).isEqualTo("<short AF_INET sockaddr: 4 bytes>");
            assertThat(arg("connect", "addr", 3, BUF + 0x200, 1).text()).isEqualTo("<short sockaddr: 1 bytes>");
        }

        @Test
        void aHugeAddressLength_isCappedAt128Bytes_andMarked() {
            memory.put(BUF, in4(10, 0, 0, 1, 443)).map(BUF + 4096);

            DecodedArg addr = arg("connect", "addr", 3, BUF, 0xffff_ffffL);

            assertThat(addr.text()).isEqualTo("10.0.0.1:443...");
            assertThat(addr.truncated()).isTrue();
            assertThat(memory.bytesRead).isEqualTo(128);
        }

        @Test
        void acceptShowsTheAddressLengthItWasGiven() {
            memory.put(BUF, new byte[] {16, 0, 0, 0});

            assertThat(texts(decode("accept4", 3, 0, BUF, 0x80800)))
                    .containsExactly("3", "NULL", "[16]", "SOCK_NONBLOCK|SOCK_CLOEXEC");
            assertThat(arg("accept", "addrlen", 3, 0, BUF + 8192).unreadable()).isTrue();
        }
    }

    @Nested
    class Argv {

        private long[] strings(long base, String... values) {
            long[] pointers = new long[values.length];
            long at = base;
            for (int i = 0; i < values.length; i++) {
                memory.putString(at, values[i]);
                pointers[i] = at;
                at += values[i].length() + 1;
            }
            return pointers;
        }

        @Test
        void execve_showsPathArgvAndTheNumberOfEnvironmentVariables_inThreeRoundTrips() {
            memory.putString(STR, "/bin/ls");
            memory.putPointers(ARR, concat(strings(BUF, "ls", "-l", "/tmp"), 0));
            memory.putPointers(ARR + 0x1000, concat(strings(BUF + 0x1000, "HOME=/root", "PATH=/bin"), 0));

            List<DecodedArg> args = decode("execve", STR, ARR, ARR + 0x1000);

            assertThat(texts(args)).containsExactly("\"/bin/ls\"", "[\"ls\", \"-l\", \"/tmp\"]",
                    "0x7f0000101000 /* 2 vars */");
            assertThat(args).noneMatch(DecodedArg::truncated).noneMatch(DecodedArg::unreadable);
            assertThat(memory.batches).isLessThanOrEqualTo(3);
        }

        @Test
        void tenThousandEntries_areCappedAndMarked() {
            long[] pointers = new long[10_000];
            Arrays.fill(pointers, strings(BUF, "x")[0]);
            memory.putPointers(ARR, pointers);

            DecodedArg argv = arg("execve", "argv", STR, ARR);

            assertThat(argv.truncated()).isTrue();
            assertThat(argv.text()).startsWith("[\"x\", \"x\"").endsWith(", ...]");
            assertThat(argv.text().split("\"x\"", -1)).hasSize(LIMITS.maxArgvEntries() + 1);
            assertThat(memory.bytesRead).isLessThanOrEqualTo((LIMITS.maxArgvEntries() + 1) * 8
                    + LIMITS.maxArgvEntries() * LIMITS.maxArgvStringBytes());
            assertThat(memory.batches).isLessThanOrEqualTo(3);
        }

        @Test
        void aWildPointerInTheMiddle_isShownUnreadable_andTheRestFollows() {
            long[] good = strings(BUF, "sh", "-c");
            memory.putPointers(ARR, good[0], 0x6666_0000_0000L, good[1], 0xffff_ffff_8100_0000L, 0);

            DecodedArg argv = arg("execve", "argv", STR, ARR);

            assertThat(argv.text()).isEqualTo("[\"sh\", <unreadable 0x0000666600000000>, \"-c\", "
                    + "<unreadable 0xffffffff81000000>]");
            assertThat(argv.unreadable()).isTrue();
            assertThat(argv.truncated()).isFalse();
        }

        @Test
        void anArrayRunningIntoAnUnmappedPage_endsThere_marked() {
            long start = ARR + FakeUserMemory.PAGE - 16;
            long[] s = strings(BUF, "a", "b");
            memory.putPointers(start, s[0], s[1]);

            DecodedArg argv = arg("execve", "argv", STR, start);

            assertThat(argv.text()).isEqualTo("[\"a\", \"b\", <unreadable 0x00007f0000101000>]");
            assertThat(argv.unreadable()).isTrue();
        }

        @Test
        void anUnreadableArray_isUnreadable_andANullOneIsNull() {
            assertThat(arg("execve", "argv", STR, ARR).text()).isEqualTo("<unreadable 0x00007f0000100000>");
            assertThat(arg("execve", "argv", STR, 0).text()).isEqualTo("NULL");
            memory.putPointers(ARR, 0);
            assertThat(arg("execve", "argv", STR, ARR).text()).isEqualTo("[]");
        }

        private static long[] concat(long[] a, long last) {
            long[] out = Arrays.copyOf(a, a.length + 1);
            out[a.length] = last;
            return out;
        }
    }

    @Nested
    class Buffers {

        @Test
        void aWrite_showsAnEscapedPreview_cutAtThePreviewLength() {
            memory.put(BUF, "GET / HTTP/1.1\r\nHost: example.org\r\n\r\n".getBytes());

            DecodedArg buf = arg("write", "buf", 3, BUF, 38);

            assertThat(buf.text()).isEqualTo("\"GET / HTTP/1.1\\r\\nHost: example.or\"...");
            assertThat(buf.truncated()).isTrue();
            assertThat(memory.bytesRead).isEqualTo(32);
        }

        @Test
        void binaryBytes_areHexEscaped() {
            memory.put(BUF, new byte[] {0, 1, (byte) 0xff, 'A', '"', '\\', 0x7f});

            assertThat(arg("write", "buf", 1, BUF, 7).text()).isEqualTo("\"\\0\\x01\\xffA\\\"\\\\\\x7f\"");
        }

        @Test
        void aBufferOverAnUnmappedPage_showsTheReadablePart() {
            long start = BUF + FakeUserMemory.PAGE - 3;
            memory.put(start, "abc".getBytes());

            DecodedArg buf = arg("write", "buf", 1, start, 10);

            assertThat(buf.text()).isEqualTo("\"abc\"...");
            assertThat(buf.unreadable()).isTrue();
            assertThat(arg("write", "buf", 1, BUF + 0x10000, 10).text()).isEqualTo("<unreadable 0x00007f0000210000>");
            assertThat(arg("write", "buf", 1, BUF, 0).text()).isEqualTo("\"\"");
        }

        @Test
        void aHugeLength_allocatesOnlyThePreview() {
            memory.put(BUF, new byte[64]);

            DecodedArg buf = arg("sendto", "buf", 3, BUF, Long.MAX_VALUE, 0, 0, 0);

            assertThat(buf.truncated()).isTrue();
            assertThat(memory.bytesRead).isEqualTo(32);
        }
    }
}
