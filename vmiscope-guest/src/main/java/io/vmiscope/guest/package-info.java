/**
 * The demo guest and QEMU control, for real-guest tests and {@code vmiscope guest build|start|stop|
 * status|console|attack}.
 *
 * <pre>
 *   DebianPackages ──▶ CloudKernel ─┐
 *   (apt-get download, dpkg-deb -x) ├──▶ GuestBuilder ──▶ GuestImage (bzImage + initramfs, cached)
 *   busybox-static ─────────────────┘                          │
 *                                                              ▼
 *   QemuLauncher ──▶ supervisor ──▶ qemu-system-x86_64 ──▶ QemuVm ──┬─ gdbSocket (introspection)
 *        │                           (TCG / KVM)                     ├─ Qmp      (run state, quit)
 *        └── VmRegistry: CACHE/vms/NAME/vm.json (VmState)           └─ TestConsole (ground truth only)
 * </pre>
 *
 * <p>The guest's {@code /init} mounts the pseudo file systems, loads the virtio network modules,
 * sets QEMU user-net's static address, starts syslogd, klogd, crond (a heartbeat line every minute)
 * and httpd (an index page, {@code /cgi-bin/status} and {@code /cgi-bin/ping}, the lab's deliberately
 * vulnerable service), and hands PID 1 to busybox init, which keeps the test console on ttyS1 running.
 * ttyS0 is the kernel console, written to a log file. {@link io.vmiscope.guest.LabAttack} plays the lab's
 * attack scenarios through that service from the host.
 *
 * <p>No QEMU outlives its owner, and only its owner reaches its sockets (a {@code 0700} directory,
 * {@code 0600} sockets): see {@link io.vmiscope.guest.QemuLauncher}.
 */
package io.vmiscope.guest;
