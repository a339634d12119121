package io.vmiscope.linux.integrity.kernel;

import io.vmiscope.api.Hex;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A page of kernel text whose bytes in memory differ from the image where no known run-time patch
 * explains it (an inline hook, a patched check), or that could not be read at all.
 *
 * @param pageAddress    the page's live (slid) address
 * @param differingBytes how many bytes of the page differ
 * @param runs           the differing stretches in page order, at most {@link KernelTextVerifier#MAX_RUNS_PER_PAGE}
 * @param unreadable     why the page could not be read, or {@code null} when it was compared
 */
public record KernelTextFinding(long pageAddress, int differingBytes, List<Run> runs, String unreadable) {

    public KernelTextFinding {
        runs = List.copyOf(runs);
    }

    /**
     * One stretch of consecutive differing bytes.
     *
     * @param offset page offset of its first byte
     * @param length bytes
     * @param symbol the kernel symbol holding its first byte ({@code "name+0x…"}), or {@code null} when none
     */
    public record Run(int offset, int length, String symbol) {

        @Override
        public String toString() {
            return "+0x" + Integer.toHexString(offset) + " (" + length + (length == 1 ? " byte" : " bytes")
                    + (symbol == null ? "" : " in " + symbol) + ")";
        }
    }

    @Override
    public String toString() {
        if (unreadable != null) {
            return "kernel text page " + Hex.address(pageAddress) + " cannot be read: " + unreadable;
        }
        return "kernel text page " + Hex.address(pageAddress) + " differs from the image in " + differingBytes
                + (differingBytes == 1 ? " byte: " : " bytes: ")
                + runs.stream().map(Run::toString).collect(Collectors.joining(", "));
    }
}
