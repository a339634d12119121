package io.vmiscope.linux.integrity.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One vCPU's IDT register, as QEMU's monitor prints it in {@code info registers}
 * ({@code "IDT=     fffffe0000000000 00000fff"}: base, limit).
 *
 * @param base  the linear address of the table the vCPU uses
 * @param limit the table's last byte offset (0xfff for 256 gates)
 */
public record Idtr(long base, int limit) {

    /** Most vCPUs read from one monitor output. */
    public static final int MAX_VCPUS = 1024;
    private static final Pattern LINE = Pattern.compile("(?m)^IDT=\\s+([0-9a-fA-F]{1,16})\\s+([0-9a-fA-F]{1,8})\\s*$");

    /** Every {@code IDT=} line of {@code info registers -a} output, in vCPU order; empty when there is none. */
    public static List<Idtr> parseAll(String infoRegisters) {
        List<Idtr> found = new ArrayList<>();
        Matcher m = LINE.matcher(infoRegisters);
        while (m.find() && found.size() < MAX_VCPUS) {
            found.add(new Idtr(Long.parseUnsignedLong(m.group(1), 16), Integer.parseUnsignedInt(m.group(2), 16)));
        }
        return found;
    }

    @Override
    public String toString() {
        return "IDTR[base " + io.vmiscope.api.Hex.address(base) + ", limit 0x" + Integer.toHexString(limit) + "]";
    }
}
