package io.vmiscope.linux.integrity.kernel;

import io.vmiscope.api.Hex;

/**
 * An entry point of the kernel that leads somewhere else than the kernel's own entry code: an IDT
 * gate redirected (or with changed attributes), the classic hook of rootkits that intercept
 * interrupts, exceptions or {@code int 0x80}.
 *
 * @param entry          what was checked, e.g. {@code "IDT vector 14"}
 * @param address        the live handler address found (slid)
 * @param actualSymbol   the kernel symbol at or below it ({@code "name"} or {@code "name+0x…"}), or
 *                       {@code null} outside the kernel image (module space, user space, garbage)
 * @param expectedSymbol the handler the kernel installs there
 * @param detail         what else differs (segment, gate bits), or {@code ""}
 */
public record EntryPointFinding(String entry, long address, String actualSymbol, String expectedSymbol, String detail) {

    @Override
    public String toString() {
        return entry + " points to " + Hex.address(address)
                + (actualSymbol == null ? " (outside the kernel image)" : " (" + actualSymbol + ")")
                + ", expected " + expectedSymbol + (detail.isEmpty() ? "" : "; " + detail);
    }
}
