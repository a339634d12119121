package io.vmiscope.linux.integrity;

import io.vmiscope.api.AccessContext;
import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.Gva;
import io.vmiscope.x86.ContextRead;
import io.vmiscope.x86.GuestMemory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link KernelWords} on a stopped guest's memory: one batch for all addresses; when the batch fails, each
 * address alone so that one unmapped place costs only its own row.
 */
final class GuestWords implements KernelWords {

    private final GuestMemory memory;

    GuestWords(GuestMemory memory) {
        this.memory = memory;
    }

    @Override
    public long[][] read(List<Long> addresses, int count) {
        long[][] rows = new long[addresses.size()][];
        List<ContextRead> reads = new ArrayList<>(addresses.size());
        for (long address : addresses) {
            reads.add(ContextRead.of(AccessContext.kernel(Gva.of(address)), count * Long.BYTES));
        }
        try {
            memory.readAll(reads);
            for (int i = 0; i < rows.length; i++) {
                rows[i] = decode(reads.get(i), count);
            }
        } catch (GuestAccessException batchFailed) {
            for (int i = 0; i < rows.length; i++) {
                try {
                    memory.readAll(List.of(reads.get(i)));
                    rows[i] = decode(reads.get(i), count);
                } catch (GuestAccessException e) {
                    rows[i] = null;
                }
            }
        }
        return rows;
    }

    private static long[] decode(ContextRead read, int count) {
        ByteBuffer b = ByteBuffer.wrap(read.buffer(), read.offset(), read.length()).order(ByteOrder.LITTLE_ENDIAN);
        long[] words = new long[count];
        for (int i = 0; i < count; i++) {
            words[i] = b.getLong();
        }
        return words;
    }
}
