package io.vmiscope.guest;

import java.util.List;
import java.util.regex.Pattern;

/**
 * How to start a demo guest. Immutable; the {@code with…} methods return changed copies.
 *
 * @param name            registry name, {@code [a-z0-9][a-z0-9._-]*}, at most 32 characters
 * @param memoryMb        guest RAM in MiB
 * @param vcpus           number of virtual CPUs
 * @param kaslr           false adds {@code nokaslr} to the kernel command line
 * @param accelerator     {@link Accelerator#AUTO} probes KVM once per host boot
 * @param extraKernelArgs appended to the kernel command line
 */
public record VmOptions(String name, int memoryMb, int vcpus, boolean kaslr, Accelerator accelerator,
                        List<String> extraKernelArgs) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");

    public VmOptions {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("VM name must match " + NAME.pattern() + ": " + name);
        }
        if (memoryMb < 64 || memoryMb > 65536) {
            throw new IllegalArgumentException("memoryMb must be 64..65536, got " + memoryMb);
        }
        if (vcpus < 1 || vcpus > 64) {
            throw new IllegalArgumentException("vcpus must be 1..64, got " + vcpus);
        }
        extraKernelArgs = List.copyOf(extraKernelArgs);
        for (String arg : extraKernelArgs) {
            if (arg.isBlank() || arg.chars().anyMatch(c -> c == '"' || c < ' ')) {
                throw new IllegalArgumentException("bad kernel argument: '" + arg + "'");
            }
        }
    }

    /** Defaults: 256 MiB, 1 vCPU, KASLR on, {@link Accelerator#AUTO}, no extra kernel arguments. */
    public static VmOptions named(String name) {
        return new VmOptions(name, 256, 1, true, Accelerator.AUTO, List.of());
    }

    public VmOptions withMemoryMb(int value) {
        return new VmOptions(name, value, vcpus, kaslr, accelerator, extraKernelArgs);
    }

    public VmOptions withVcpus(int value) {
        return new VmOptions(name, memoryMb, value, kaslr, accelerator, extraKernelArgs);
    }

    public VmOptions withKaslr(boolean value) {
        return new VmOptions(name, memoryMb, vcpus, value, accelerator, extraKernelArgs);
    }

    public VmOptions withAccelerator(Accelerator value) {
        return new VmOptions(name, memoryMb, vcpus, kaslr, value, extraKernelArgs);
    }

    public VmOptions withExtraKernelArgs(List<String> value) {
        return new VmOptions(name, memoryMb, vcpus, kaslr, accelerator, value);
    }

    /** The kernel command line these options give. */
    public String kernelCommandLine() {
        // no_timer_check: under TCG on a loaded host the kernel's IO-APIC timer check can see too few ticks and
        // panic at boot ("IO-APIC + timer doesn't work!", seen in CI); QEMU's timer is known good
        StringBuilder line = new StringBuilder("console=ttyS0 panic=-1 no_timer_check");
        if (!kaslr) {
            line.append(" nokaslr");
        }
        extraKernelArgs.forEach(arg -> line.append(' ').append(arg));
        return line.toString();
    }
}
