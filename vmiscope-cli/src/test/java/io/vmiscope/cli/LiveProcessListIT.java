package io.vmiscope.cli;

/** The live process list on the demo guest booted with KASLR on (the default). */
class LiveProcessListIT extends LiveGuestProcessListTest {
    @Override
    boolean kaslr() {
        return true;
    }
}
