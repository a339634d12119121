/**
 * The demo guest and QEMU control: fetching Debian's kernel and busybox packages, building the
 * initramfs, launching and reaping QEMU, QMP, and the test console.
 */
package io.vmiscope.guest;
