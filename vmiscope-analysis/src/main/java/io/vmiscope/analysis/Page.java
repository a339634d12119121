package io.vmiscope.analysis;

import java.util.List;

/**
 * One page of a longer, ordered result.
 *
 * @param items  the items of this page, at most {@code limit}
 * @param total  how many items the whole result has
 * @param offset the index of the first item in the whole result
 * @param limit  the page size asked for
 * @param <T>    the item type
 */
public record Page<T>(List<T> items, long total, int offset, int limit) {

    public Page {
        items = List.copyOf(items);
    }

    /** Whether items follow this page. */
    public boolean hasMore() {
        return offset + (long) items.size() < total;
    }
}
