package io.vmiscope.linux.integrity;

import io.vmiscope.linux.symbols.ProfileException;
import io.vmiscope.linux.symbols.StructLayout;
import io.vmiscope.linux.walk.GuestStrings;
import io.vmiscope.linux.walk.ReadPlan;
import io.vmiscope.linux.walk.WalkLimits;

/**
 * A fixed-size name inside a kernel struct ({@code task_struct.comm}, {@code module.name}): where it is and how
 * many of its bytes are read — its size from BTF, capped by {@link WalkLimits#maxStringBytes()}.
 */
record StringField(long offset, int bytes) {

    /** @throws ProfileException when the struct has no such member */
    static StringField of(StructLayout struct, String member, WalkLimits limits) {
        var m = struct.member(member).orElseThrow(() -> new ProfileException("struct " + struct.name()
                + " has no member '" + member + "'"));
        return new StringField(m.offsetBytes(), (int) Math.min(limits.maxStringBytes(), Math.max(1, m.sizeBits() / 8)));
    }

    /** Adds the field to a read plan. */
    ReadPlan.Builder addTo(ReadPlan.Builder plan) {
        return plan.field(offset, bytes);
    }

    /** The NUL-terminated text in a block read with that plan, decoded safely. */
    String read(ReadPlan.Block block) {
        return GuestStrings.cString(block.bytes(offset, bytes), 0, bytes);
    }
}
