package io.vmiscope.linux.integrity.kernel;

import io.vmiscope.api.AccessContext;
import io.vmiscope.api.Gva;
import io.vmiscope.gdb.GdbDriver;
import io.vmiscope.x86.GuestMemory;

/**
 * A simulated rootkit for tests: overwrites guest kernel memory through the stub's physical writes (page
 * protections do not apply, as for a rootkit that clears CR0.WP) and puts the old bytes back when closed.
 * The VM must stay stopped from the write to the close. Test tooling only.
 */
final class KernelWrites implements AutoCloseable {

    private final GdbDriver driver;
    private final GuestMemory memory;
    private final long address;
    private final byte[] original;

    private KernelWrites(GdbDriver driver, GuestMemory memory, long address, byte[] original) {
        this.driver = driver;
        this.memory = memory;
        this.address = address;
        this.original = original;
    }

    /** Writes {@code bytes} at the kernel virtual {@code address} (within one page); close to undo. */
    static KernelWrites overwrite(GdbDriver driver, GuestMemory memory, long address, byte[] bytes) {
        AccessContext where = AccessContext.kernel(Gva.of(address));
        byte[] original = memory.read(where, bytes.length);
        driver.write(memory.translate(where).gpa(), bytes);
        memory.invalidate();
        return new KernelWrites(driver, memory, address, original);
    }

    /** The bytes that were there before. */
    byte[] original() {
        return original.clone();
    }

    @Override
    public void close() {
        driver.write(memory.translate(AccessContext.kernel(Gva.of(address))).gpa(), original);
        memory.invalidate();
    }
}
