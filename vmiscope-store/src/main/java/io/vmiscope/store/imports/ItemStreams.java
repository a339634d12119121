package io.vmiscope.store.imports;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Turns a reader that works step by step into a lazy, sequential stream that closes its file. */
final class ItemStreams {

    /** One step of reading: adds zero or more items, returns false once the input is exhausted. */
    @FunctionalInterface
    interface Step {
        boolean fill(Deque<ImportItem> out);
    }

    private ItemStreams() {
    }

    static Stream<ImportItem> of(Step step, Closeable resource) {
        Iterator<ImportItem> items = new Iterator<>() {
            private final Deque<ImportItem> queue = new ArrayDeque<>();
            private boolean exhausted;

            @Override
            public boolean hasNext() {
                while (queue.isEmpty() && !exhausted) {
                    exhausted = !step.fill(queue);
                }
                return !queue.isEmpty();
            }

            @Override
            public ImportItem next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return queue.poll();
            }
        };
        Spliterator<ImportItem> split = Spliterators.spliteratorUnknownSize(items,
                Spliterator.ORDERED | Spliterator.NONNULL);
        return StreamSupport.stream(split, false).onClose(() -> {
            try {
                resource.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
