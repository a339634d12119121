package io.vmiscope.session.live;

/**
 * An on-demand action the UI offers.
 *
 * @param id         what the preview request names
 * @param label      what the button says
 * @param perProcess whether it is offered on a process (and takes its pid)
 */
public record ActionTemplate(String id, String label, boolean perProcess) {
}
