package io.vmiscope.testkit;

/**
 * Where {@link TaskListBuilder} puts the members of its fake {@code task_struct}s (byte offsets from
 * the start of the struct). Linux-layer tests pass the offsets of the profile under test, so the
 * walker reads exactly the layout it was told about.
 *
 * @param tasks      the {@code struct list_head tasks} member ({@code next} at +0, {@code prev} at +8)
 * @param pid        {@code pid} (32-bit)
 * @param tgid       {@code tgid} (32-bit)
 * @param comm       {@code comm}, {@link TaskListBuilder#TASK_COMM_LEN} bytes
 * @param realParent {@code real_parent} (pointer)
 * @param mm         {@code mm} (pointer)
 * @param cred       {@code cred} (pointer)
 * @param sizeBytes  {@code sizeof(struct task_struct)}; members must lie inside it
 */
public record TaskOffsets(int tasks, int pid, int tgid, int comm, int realParent, int mm, int cred, int sizeBytes) {

    /**
     * A small layout (128 bytes) for tests that need many tasks: a list of 100,000 entries then
     * takes about 12 MiB of fake RAM.
     */
    public static final TaskOffsets COMPACT = new TaskOffsets(0x00, 0x10, 0x14, 0x18, 0x28, 0x30, 0x38, 0x80);

    public TaskOffsets {
        if (sizeBytes <= 0) {
            throw new IllegalArgumentException("struct size must be positive: " + sizeBytes);
        }
        requireInside("tasks", tasks, 16, sizeBytes);
        requireInside("pid", pid, 4, sizeBytes);
        requireInside("tgid", tgid, 4, sizeBytes);
        requireInside("comm", comm, TaskListBuilder.TASK_COMM_LEN, sizeBytes);
        requireInside("real_parent", realParent, 8, sizeBytes);
        requireInside("mm", mm, 8, sizeBytes);
        requireInside("cred", cred, 8, sizeBytes);
    }

    private static void requireInside(String member, int offset, int width, int sizeBytes) {
        if (offset < 0 || offset + width > sizeBytes) {
            throw new IllegalArgumentException("member " + member + " at " + offset + " (" + width
                    + " bytes) lies outside a " + sizeBytes + "-byte task_struct");
        }
    }
}
