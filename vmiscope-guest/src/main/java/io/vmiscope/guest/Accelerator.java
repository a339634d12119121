package io.vmiscope.guest;

/** How QEMU runs the guest's vCPUs. */
public enum Accelerator {
    /** KVM when a probe boot shows that a KVM guest really runs on this host, else TCG. */
    AUTO,
    /** Hardware virtualisation; fails when /dev/kvm is missing, hangs where nested KVM is broken. */
    KVM,
    /** QEMU's binary translator: slower, runs everywhere. */
    TCG
}
