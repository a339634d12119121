package io.vmiscope.cli;

import io.vmiscope.api.Hex;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.profile.KernelProfiles;
import io.vmiscope.linux.profile.ProfileCache;
import io.vmiscope.linux.symbols.KernelSymbol;
import io.vmiscope.linux.symbols.StructLayout;
import io.vmiscope.linux.symbols.StructMember;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/** {@code vmiscope profile show|symbol|struct}: inspect a kernel profile. */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = "Inspect a kernel profile: symbols (kallsyms) and struct layouts (BTF) read from a kernel "
                + "image, or a Volatility 3 ISF file.",
        subcommands = {ProfileCommand.Show.class, ProfileCommand.Symbol.class, ProfileCommand.Struct.class})
final class ProfileCommand {

    /** The profile source shared by the subcommands. */
    static final class Source {
        @Option(names = {"-k", "--kernel"}, required = true, paramLabel = "PATH",
                description = "vmlinuz (bzImage), vmlinux ELF, or Volatility 3 ISF JSON (.json, .json.xz, .json.gz)")
        Path kernel;

        KernelProfile load() {
            return KernelProfiles.load(kernel, ProfileCache.atDefaultLocation());
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Summary of a profile.")
    static final class Show implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Source source;

        @Override
        public Integer call() {
            KernelProfile p = source.load();
            PrintStream out = System.out;
            out.println("source:   " + p.source());
            out.println("build id: " + (p.buildId().isEmpty() ? "(none)" : p.buildId()));
            out.println("banner:   " + p.banner().strip());
            out.println("symbols:  " + p.symbols().size());
            out.println("structs:  " + p.structs().size());
            for (String name : List.of("init_task", "init_top_pgt", "linux_banner", "__x64_sys_openat")) {
                out.printf("  %-18s %s%n", name, p.findSymbol(name).stream().mapToObj(Hex::address).findFirst().orElse("(missing)"));
            }
            return 0;
        }
    }

    @Command(name = "symbol", mixinStandardHelpOptions = true,
            description = "Addresses (link-time, before the KASLR slide) of symbols whose name matches a regular expression.")
    static final class Symbol implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Source source;

        @Parameters(paramLabel = "REGEX", description = "e.g. '^__x64_sys_open' or 'init_task'")
        String pattern;

        @Option(names = "--limit", defaultValue = "50", description = "most rows to print (default: ${DEFAULT-VALUE})")
        int limit;

        @Override
        public Integer call() {
            Pattern regex = Pattern.compile(pattern);
            List<KernelSymbol> hits = source.load().allSymbols().stream()
                    .filter(s -> regex.matcher(s.name()).find())
                    .sorted(Comparator.comparingLong(KernelSymbol::address)).toList();
            hits.stream().limit(limit).forEach(s ->
                    System.out.printf("%s %c %s%n", Hex.address(s.address()), s.type(), s.name()));
            if (hits.size() > limit) {
                System.out.println("… " + (hits.size() - limit) + " more (use --limit)");
            }
            return hits.isEmpty() ? 1 : 0;
        }
    }

    @Command(name = "struct", mixinStandardHelpOptions = true, description = "Layout of a struct: member offsets, sizes and types.")
    static final class Struct implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Source source;

        @Parameters(paramLabel = "NAME", description = "e.g. task_struct")
        String name;

        @Override
        public Integer call() {
            StructLayout layout = source.load().struct(name);
            System.out.println("struct " + layout.name() + " (" + layout.sizeBytes() + " bytes)");
            for (StructMember m : layout.members()) {
                String offset = m.isBitfield()
                        ? String.format("0x%04x:%d", m.offsetBytes(), m.offsetBits() % 8)
                        : String.format("0x%04x", m.offsetBytes());
                String size = m.isBitfield() ? m.sizeBits() + " bits" : m.sizeBits() / 8 + "";
                System.out.printf("  %-9s %-8s %-28s %s%n", offset, size, m.typeName(), m.name());
            }
            return 0;
        }
    }
}
