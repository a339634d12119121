package io.vmiscope.linux.cpu;

import io.vmiscope.api.AccessContext;
import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.Gva;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.symbols.ProfileException;
import io.vmiscope.x86.GuestMemory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads the guest kernel's own CPU accounting: per CPU, the nanoseconds it spent busy (user, nice, system,
 * softirq and irq time of {@code kernel_cpustat}), the figures {@code /proc/stat} shows. Nothing runs in the
 * guest for it: a few reads of kernel memory while the VM is stopped, and no breakpoint.
 *
 * <p>{@code kernel_cpustat} is a per-CPU variable: its symbol is an offset into each CPU's per-CPU area,
 * whose base is {@code __per_cpu_offset[cpu]} (an array KASLR moves like any symbol). Busy time is charged
 * tick by tick, so it is exact to a tick (4 ms at HZ=250) per CPU. Idle time is not read: with the tick
 * stopped while idle ({@code NO_HZ_IDLE}), {@code cpustat[CPUTIME_IDLE]} lags; the caller derives idle
 * time as elapsed guest time less busy time.
 */
public final class CpuTimeReader {

    /** {@code enum cpu_usage_stat}: USER, NICE, SYSTEM, SOFTIRQ, IRQ come first, IDLE is the sixth. */
    private static final int BUSY_STATS = 5;
    /** Most CPUs read: beyond, the guest's count is not believed. */
    static final int MAX_CPUS = 256;

    private final GuestMemory memory;
    private final long perCpuOffsets;
    private final long cpustat;
    private final int cpus;

    /**
     * @param slide the kernel's KASLR slide
     * @param cpus  how many CPUs the VM has (its vCPUs)
     * @throws ProfileException when the profile lacks {@code kernel_cpustat} or {@code __per_cpu_offset}
     */
    public CpuTimeReader(GuestMemory memory, KernelProfile profile, long slide, int cpus) {
        if (cpus < 1 || cpus > MAX_CPUS) {
            throw new IllegalArgumentException("CPU count must be in [1, " + MAX_CPUS + "], was " + cpus);
        }
        this.memory = memory;
        this.perCpuOffsets = symbol(profile, "__per_cpu_offset") + slide;
        this.cpustat = symbol(profile, "kernel_cpustat"); // a per-CPU symbol: an offset, not moved by KASLR
        this.cpus = cpus;
    }

    private static long symbol(KernelProfile profile, String name) {
        return profile.findSymbol(name).orElseThrow(() -> new ProfileException("profile " + profile.source()
                + " has no " + name + ": the guest's CPU accounting cannot be read"));
    }

    /**
     * Busy nanoseconds of each CPU since its boot. Valid while the VM is stopped.
     *
     * @throws GuestAccessException when the per-CPU areas cannot be read
     */
    public long[] busyNanos() {
        ByteBuffer offsets = ByteBuffer.wrap(memory.read(AccessContext.kernel(Gva.of(perCpuOffsets)), 8 * cpus))
                .order(ByteOrder.LITTLE_ENDIAN);
        long[] busy = new long[cpus];
        for (int cpu = 0; cpu < cpus; cpu++) {
            long base = offsets.getLong(8 * cpu);
            if (!Gva.of(base).isKernelHalf()) {
                throw new GuestAccessException("CPU " + cpu + "'s per-CPU area " + Gva.of(base) + " is not in the kernel");
            }
            ByteBuffer stats = ByteBuffer.wrap(memory.read(AccessContext.kernel(Gva.of(base + cpustat)), 8 * BUSY_STATS))
                    .order(ByteOrder.LITTLE_ENDIAN);
            long sum = 0;
            for (int i = 0; i < BUSY_STATS; i++) {
                long value = stats.getLong(8 * i);
                if (value < 0) {
                    throw new GuestAccessException("CPU " + cpu + "'s kernel_cpustat[" + i + "] is negative: " + value);
                }
                sum += value;
            }
            busy[cpu] = sum;
        }
        return busy;
    }
}
