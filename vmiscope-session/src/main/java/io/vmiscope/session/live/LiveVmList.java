package io.vmiscope.session.live;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The live VMs of a server that starts before them: sessions join when they run and leave when they end. */
public final class LiveVmList implements LiveVms {

    private final List<LiveVm> vms = new CopyOnWriteArrayList<>();

    public void add(LiveVm vm) {
        vms.add(vm);
    }

    public void remove(LiveVm vm) {
        vms.remove(vm);
    }

    @Override
    public List<LiveVm> all() {
        return List.copyOf(vms);
    }
}
