package io.vmiscope.linux.integrity;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Generated kernel memory: 8-byte words at addresses; anything not put is unmapped. Counts the batches read. */
final class MapWords implements KernelWords {

    final Map<Long, Long> words = new HashMap<>();
    int batches;

    MapWords put(long address, long value) {
        words.put(address, value);
        return this;
    }

    @Override
    public long[][] read(List<Long> addresses, int count) {
        batches++;
        long[][] rows = new long[addresses.size()][];
        for (int i = 0; i < rows.length; i++) {
            long[] row = new long[count];
            for (int w = 0; w < count && row != null; w++) {
                Long v = words.get(addresses.get(i) + 8L * w);
                if (v == null) {
                    row = null;
                } else {
                    row[w] = v;
                }
            }
            rows[i] = row;
        }
        return rows;
    }
}
