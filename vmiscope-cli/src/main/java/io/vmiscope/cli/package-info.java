/**
 * The {@code vmiscope} command line (picocli). The only place that chooses concrete classes
 * ({@code GdbDriver}, the QEMU launcher); commands stay thin and print what the layers return.
 */
package io.vmiscope.cli;
