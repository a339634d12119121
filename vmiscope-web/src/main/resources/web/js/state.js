// What the views share: the VM list, the current VM, the global time range and the selected process.
import { api } from './api.js';

export const state = {
  vms: [],          // VmOverview[], live first
  vm: null,         // the VM the VM views show
  range: null,      // {from, to} in ns, set by the timeline brush
  selected: null,   // {vm, key} of the process picked in the tree, for the graph link
};

const bus = new EventTarget();
/** Listens to 'vms', 'range' or 'selected'. */
export function on(type, listener) { bus.addEventListener(type, () => listener()); }
const emit = (type) => bus.dispatchEvent(new Event(type));

export async function loadVms(options) {
  state.vms = (await api('GET', '/api/vms', options)) ?? [];
  emit('vms');
  return state.vms;
}

export const isLive = (vm) => Boolean(state.vms.find((v) => v.vm === vm)?.live);

/** Whether a monitor is attached to the VM now: only then are its events live. */
export const isMonitored = (vm) => {
  const v = state.vms.find((candidate) => candidate.vm === vm);
  return Boolean(v?.live && v.status === 'monitoring');
};

export function setRange(range) {
  state.range = range;
  emit('range');
}

export function setSelected(vm, key) {
  state.selected = key ? { vm, key } : null;
  emit('selected');
}
