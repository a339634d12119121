package io.vmiscope.cli;

/** The live process list on the demo guest booted with {@code nokaslr}. */
class LiveProcessListNoKaslrIT extends LiveGuestProcessListTest {
    @Override
    boolean kaslr() {
        return false;
    }
}
