package io.vmiscope.linux.symbols;

/**
 * One kernel symbol.
 *
 * @param name    as in kallsyms / System.map
 * @param address link-time virtual address (unslid)
 * @param type    the kallsyms type letter ({@code T} text, {@code D} data, {@code R} rodata, lower case
 *                for local symbols), or {@code '?'} when the source has none
 */
public record KernelSymbol(String name, long address, char type) {
}
