package io.vmiscope.linux.walk;

import io.vmiscope.api.AccessContext;
import io.vmiscope.api.Gva;
import io.vmiscope.x86.ContextRead;
import io.vmiscope.x86.GuestMemory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which byte ranges of a kernel struct to read so that every needed field is covered with the fewest
 * reads. Each read costs at least one round trip to the hypervisor, while bytes are almost free up to
 * the transport's reply size: fields closer together than {@code maxSpanBytes} share one read.
 * Immutable; built once per struct layout, used for every instance.
 */
public final class ReadPlan {

    private record Span(int start, int end) {
    }

    private final List<Span> spans;
    private final int base;
    private final int size;

    private ReadPlan(List<Span> spans) {
        this.spans = List.copyOf(spans);
        this.base = spans.get(0).start;
        this.size = spans.get(spans.size() - 1).end - base;
    }

    /** Starts a plan whose reads are at most {@code maxSpanBytes} long (one transport reply). */
    public static Builder builder(int maxSpanBytes) {
        return new Builder(maxSpanBytes);
    }

    /** Number of reads one {@link #read} issues (before page splits). */
    public int readCount() {
        return spans.size();
    }

    /**
     * Reads the planned ranges of the struct at {@code address}, as one batch.
     *
     * @throws io.vmiscope.api.GuestAccessException when a range is unmapped
     */
    public Block read(GuestMemory memory, Gva address) {
        return readAll(memory, List.of(address)).get(0);
    }

    /**
     * Reads the planned ranges of several structs as one batch (about one round trip on a
     * pipelining transport).
     *
     * @throws io.vmiscope.api.GuestAccessException for the first unmapped range, after all were tried
     */
    public List<Block> readAll(GuestMemory memory, List<Gva> addresses) {
        List<ContextRead> reads = new ArrayList<>(addresses.size() * spans.size());
        List<Block> blocks = new ArrayList<>(addresses.size());
        for (Gva address : addresses) {
            Prepared prepared = prepare(address);
            reads.addAll(prepared.reads());
            blocks.add(prepared.block());
        }
        memory.readAll(reads);
        return blocks;
    }

    /**
     * The reads of the struct at {@code address}, for a caller that sends them in a batch of its own;
     * the block holds the fields once they were read.
     */
    public Prepared prepare(Gva address) {
        byte[] bytes = new byte[size];
        List<ContextRead> reads = new ArrayList<>(spans.size());
        for (Span span : spans) {
            reads.add(new ContextRead(AccessContext.kernel(address.plus(span.start)), bytes, span.start - base,
                    span.end - span.start));
        }
        return new Prepared(List.copyOf(reads), new Block(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), base));
    }

    /** The planned reads of one struct instance and the block they fill. */
    public record Prepared(List<ContextRead> reads, Block block) {
    }

    /** Collects the fields a walker needs. */
    public static final class Builder {
        private final int maxSpanBytes;
        private final List<Span> fields = new ArrayList<>();

        private Builder(int maxSpanBytes) {
            if (maxSpanBytes <= 0) {
                throw new IllegalArgumentException("maxSpanBytes must be positive");
            }
            this.maxSpanBytes = maxSpanBytes;
        }

        public Builder field(long offsetBytes, int sizeBytes) {
            if (offsetBytes < 0 || offsetBytes > Integer.MAX_VALUE - sizeBytes || sizeBytes <= 0) {
                throw new IllegalArgumentException("bad field " + offsetBytes + "+" + sizeBytes);
            }
            fields.add(new Span((int) offsetBytes, (int) offsetBytes + sizeBytes));
            return this;
        }

        /** Greedy clustering in offset order: optimal for covering intervals with bounded-length reads. */
        public ReadPlan build() {
            if (fields.isEmpty()) {
                throw new IllegalStateException("a read plan needs at least one field");
            }
            List<Span> sorted = new ArrayList<>(fields);
            sorted.sort(Comparator.comparingInt(Span::start));
            List<Span> spans = new ArrayList<>();
            int start = sorted.get(0).start;
            int end = sorted.get(0).end;
            for (Span f : sorted.subList(1, sorted.size())) {
                if (Math.max(end, f.end) - start <= maxSpanBytes) {
                    end = Math.max(end, f.end);
                } else {
                    spans.add(new Span(start, end));
                    start = f.start;
                    end = f.end;
                }
            }
            spans.add(new Span(start, end));
            return new ReadPlan(spans);
        }
    }

    /** The bytes of one struct instance, addressed by member offset. Reading an unplanned field is a bug. */
    public static final class Block {
        private final ByteBuffer bytes;
        private final int base;

        private Block(ByteBuffer bytes, int base) {
            this.bytes = bytes;
            this.base = base;
        }

        public long u64(long offset) {
            return bytes.getLong(index(offset));
        }

        public int u32(long offset) {
            return bytes.getInt(index(offset));
        }

        public byte[] bytes(long offset, int length) {
            byte[] out = new byte[length];
            bytes.get(index(offset), out, 0, length);
            return out;
        }

        private int index(long offset) {
            return (int) (offset - base);
        }
    }
}
