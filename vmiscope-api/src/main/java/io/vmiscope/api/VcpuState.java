package io.vmiscope.api;

import java.util.List;
import java.util.Map;

/**
 * Registers of the guest's virtual CPUs, by the names the hypervisor uses (for QEMU: the target
 * description XML, e.g. {@code rip}, {@code rsp}, {@code cr3}, {@code gs_base}). Valid while the VM is
 * stopped.
 */
public interface VcpuState {

    /** Ids of the vCPUs, in the hypervisor's order (for the GDB stub: thread ids, 1-based). */
    List<Integer> vcpus();

    /** Reads one register of one vCPU. @throws IllegalArgumentException for an unknown name. */
    long register(int vcpu, String name);

    /** All general registers of one vCPU that the hypervisor hands over in one exchange. */
    Map<String, Long> registers(int vcpu);

    /**
     * Writes one register of one vCPU (the VM must be stopped). Used to step over an instruction the
     * monitor emulates, e.g. advancing {@code rip} past a no-op a breakpoint sits on.
     */
    void setRegister(int vcpu, String name, long value);
}
