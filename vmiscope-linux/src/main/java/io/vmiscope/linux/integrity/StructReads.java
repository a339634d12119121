package io.vmiscope.linux.integrity;

import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.Gva;
import io.vmiscope.linux.walk.Anomaly;
import io.vmiscope.linux.walk.ReadPlan;
import io.vmiscope.x86.GuestMemory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the planned fields of many structs: one batch; when it fails, each alone, unreadable ones left out. */
final class StructReads {

    private StructReads() {
    }

    /**
     * @param what names the struct kind in anomalies, e.g. {@code "task"}
     * @return address → its block, for every readable address
     */
    static Map<Long, ReadPlan.Block> read(GuestMemory memory, ReadPlan plan, List<Long> addresses,
                                          List<Anomaly> anomalies, String what) {
        Map<Long, ReadPlan.Block> out = new HashMap<>();
        try {
            List<ReadPlan.Block> all = plan.readAll(memory, addresses.stream().map(Gva::of).toList());
            for (int i = 0; i < addresses.size(); i++) {
                out.put(addresses.get(i), all.get(i));
            }
        } catch (GuestAccessException batch) {
            for (long a : addresses) {
                try {
                    out.put(a, plan.read(memory, Gva.of(a)));
                } catch (GuestAccessException e) {
                    anomalies.add(new Anomaly(Anomaly.Kind.UNMAPPED, what + " " + Gva.of(a), e.getMessage()));
                }
            }
        }
        return out;
    }
}
