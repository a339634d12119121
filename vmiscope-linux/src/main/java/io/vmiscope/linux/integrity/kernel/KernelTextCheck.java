package io.vmiscope.linux.integrity.kernel;

import java.util.List;
import java.util.Map;

/**
 * One pass of {@link KernelTextVerifier}: what differed, what the known run-time patches explained,
 * and what the pass cost.
 *
 * @param findings       pages whose differences no patch explains; empty for intact text
 * @param truncated      true when more than {@link KernelTextVerifier#MAX_FINDINGS} pages differed (the
 *                       rest were counted in {@code pagesDiffering} but not listed)
 * @param pagesCompared  pages of {@code _stext.._etext} read and compared
 * @param pagesDiffering pages with at least one unexplained difference, or unreadable
 * @param bytesAccounted per patch class, the bytes that differ from the raw image but are explained by
 *                       that class (for {@link PatchClass#RELOCATION}: bytes equal to the image only
 *                       after relocating it for the slide)
 * @param sites          per patch class, the sites in the compared text
 * @param reads          batched reads issued (each about one round trip on a pipelining transport)
 * @param stoppedNanos   time spent reading, the VM stopped (the pacer's time between batches excluded)
 */
public record KernelTextCheck(List<KernelTextFinding> findings, boolean truncated, int pagesCompared,
                              int pagesDiffering, Map<PatchClass, Long> bytesAccounted,
                              Map<PatchClass, Integer> sites, int reads, long stoppedNanos) {

    public KernelTextCheck {
        findings = List.copyOf(findings);
        bytesAccounted = Map.copyOf(bytesAccounted);
        sites = Map.copyOf(sites);
    }

    /** True when every page matched once the run-time patches were accounted for. */
    public boolean isIntact() {
        return pagesDiffering == 0;
    }

    /** One line: pages, differing pages, bytes per patch class, cost. */
    public String summary() {
        StringBuilder text = new StringBuilder().append(pagesCompared).append(" pages compared, ")
                .append(pagesDiffering).append(" differing; patched bytes accounted for:");
        for (PatchClass kind : PatchClass.values()) {
            text.append(' ').append(kind.label()).append(' ').append(bytesAccounted.getOrDefault(kind, 0L))
                    .append(" (").append(sites.getOrDefault(kind, 0)).append(" sites)").append(',');
        }
        text.setLength(text.length() - 1);
        return text.append("; ").append(reads).append(" reads, ")
                .append(String.format(java.util.Locale.ROOT, "%.1f ms stopped", stoppedNanos / 1e6)).toString();
    }
}
