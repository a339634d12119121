package io.vmiscope.cli;

/** The integrity checks against the simulated rootkit on the demo guest with KASLR on. */
class LiveIntegrityChecksIT extends LiveIntegrityChecksTest {
    @Override
    boolean kaslr() {
        return true;
    }
}
