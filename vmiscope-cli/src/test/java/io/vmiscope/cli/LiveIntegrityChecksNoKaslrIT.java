package io.vmiscope.cli;

/** The integrity checks against the simulated rootkit on the demo guest booted with {@code nokaslr}. */
class LiveIntegrityChecksNoKaslrIT extends LiveIntegrityChecksTest {
    @Override
    boolean kaslr() {
        return false;
    }
}
