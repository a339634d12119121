// The events view: the VM's events filtered by kind, name, pid, text and time, 100 a page, with one event's detail.
import { api, vmPath } from './api.js';
import { byId } from './dom.js';
import { eventList } from './eventtable.js';
import { fromLocalInput, toLocalInput } from './format.js';
import { on, state } from './state.js';
import { isShown, loader } from './view.js';

const PAGE = 100;
const MS = 1e6;

const section = byId('view-events');
const load = loader(section);
const inputs = {
  kind: byId('ev-kind'), name: byId('ev-name'), pid: byId('ev-pid'), text: byId('ev-text'),
  from: byId('ev-from'), to: byId('ev-to'),
};

let vm = null;
let offset = 0;
let rangeShown;   // the global range last copied into the from/to inputs

const events = eventList({
  tbody: byId('events-table').tBodies[0], label: byId('ev-page-label'),
  prev: byId('ev-prev'), next: byId('ev-next'), detailBox: byId('event-detail'),
  withProcess: true, pageSize: PAGE, vmOf: () => vm,
  load: (newOffset) => { offset = newOffset; return reload(); },
});

export function show(route) {
  if (route.vm !== vm) {
    vm = route.vm;
    offset = 0;
    events.hideDetail();
  }
  if (rangeShown !== state.range) copyRange();
  return reload();
}

export const refresh = () => reload();

function copyRange() {
  rangeShown = state.range;
  inputs.from.value = toLocalInput(state.range?.from);
  inputs.to.value = toLocalInput(state.range?.to);
  offset = 0;
}

function query() {
  const to = fromLocalInput(inputs.to.value);
  return {
    kind: inputs.kind.value.trim(), name: inputs.name.value.trim(), pid: inputs.pid.value.trim(),
    text: inputs.text.value,
    from: fromLocalInput(inputs.from.value),
    to: to == null ? null : to + MS - 1,   // the input has ms precision: include the whole last millisecond
    offset, limit: PAGE,
  };
}

function reload() {
  return load(async (signal) => events.render(await api('GET', vmPath(vm, 'events'), { query: query(), signal })));
}

byId('ev-form').addEventListener('submit', (e) => {
  e.preventDefault();
  offset = 0;
  reload();
});

on('range', () => {
  if (!isShown(section)) return;
  copyRange();
  reload();
});
