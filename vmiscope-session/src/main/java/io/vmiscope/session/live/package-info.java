/**
 * What the UI can ask of a VM that is monitored live: its running actions and their measured cost, its
 * budget, predictions for what-if questions, and on-demand actions with a cost preview. The CLI implements
 * these over a running monitor; the web routes only call them.
 */
package io.vmiscope.session.live;
