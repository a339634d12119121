package io.vmiscope.linux.symbols;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The layout of one struct or union.
 *
 * @param name      the C tag, without {@code struct}
 * @param sizeBytes {@code sizeof}
 * @param members   in declaration order, anonymous members flattened (see {@link StructMember})
 */
public record StructLayout(String name, long sizeBytes, List<StructMember> members) {

    public StructLayout {
        members = List.copyOf(members);
    }

    public Optional<StructMember> member(String memberName) {
        return members.stream().filter(m -> m.name().equals(memberName)).findFirst();
    }

    /** Offset of a member in bytes. @throws ProfileException when the member does not exist */
    public long offsetOf(String memberName) {
        return member(memberName)
                .orElseThrow(() -> new ProfileException("struct " + name + " has no member '" + memberName + "'"))
                .offsetBytes();
    }

    /** Members by name (first wins, as C name lookup does for flattened anonymous members). */
    public Map<String, StructMember> byName() {
        Map<String, StructMember> map = new LinkedHashMap<>();
        members.forEach(m -> map.putIfAbsent(m.name(), m));
        return map;
    }
}
