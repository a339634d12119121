// The process panel beside the tree: a process's details, its graph link, on-demand actions and its events.
import { fillProcessButtons } from './actions.js';
import { api, vmPath } from './api.js';
import { el, byId, setText } from './dom.js';
import { eventList } from './eventtable.js';
import { fmtNum, fmtTime } from './format.js';
import { href } from './router.js';
import { loader } from './view.js';

const PAGE = 50;
const LIFETIMES = {
  RUNNING_BEFORE_MONITORING: 'running before monitoring',
  ENDED_DURING_MONITORING: 'ended during monitoring',
  STARTED_AND_ENDED: 'started and ended',
  STARTED_STILL_RUNNING: 'started, still running',
};

const panel = byId('process-panel');
const load = loader(panel);
const parts = { title: byId('pp-title'), details: byId('pp-details'), graph: byId('pp-graph'), actions: byId('pp-actions') };

let vm = null;
let key = null;
let offset = 0;
// What the panel last drew, as received: a live refresh redraws only what changed, so that a button or
// row under the pointer is not replaced every second while the VM is monitored.
let shown = { process: '', page: '', buttonsFor: '' };

const events = eventList({
  tbody: byId('process-events').tBodies[0], label: byId('pe-page-label'),
  prev: byId('pe-prev'), next: byId('pe-next'), detailBox: byId('pe-detail'),
  withProcess: false, pageSize: PAGE, vmOf: () => vm,
  load: (newOffset) => { offset = newOffset; return reload(); },
});

export const openKey = () => key;

export function open(vmName, processKey) {
  vm = vmName;
  key = processKey;
  offset = 0;
  shown = { process: '', page: '', buttonsFor: '' };
  panel.hidden = false;
  events.hideDetail();
  return reload();
}

export function close() {
  key = null;
  panel.hidden = true;
}

export const refresh = () => (key ? reload() : Promise.resolve());

function reload() {
  return load(async (signal) => {
    const [process, page] = await Promise.all([
      api('GET', vmPath(vm, 'processes', key), { signal }),
      api('GET', vmPath(vm, 'processes', key, 'events'), { query: { offset, limit: PAGE }, signal }),
    ]);
    const processText = JSON.stringify(process);
    const pageText = JSON.stringify(page);
    if (processText !== shown.process) renderDetails(process);
    if (pageText !== shown.page) events.render(page);
    shown = { ...shown, process: processText, page: pageText };
    const buttonsFor = `${vm} ${key} ${process.endNanos ?? ''}`;
    if (buttonsFor !== shown.buttonsFor) {
      await fillProcessButtons(parts.actions, vm, process);
      shown.buttonsFor = buttonsFor;
    }
  });
}

function renderDetails(p) {
  setText(parts.title, `${p.name} (pid ${p.pid})`);
  const end = p.endNanos == null ? 'still running' : fmtTime(p.endNanos) + (p.endReason ? ` (${p.endReason})` : '');
  const rows = [
    ['pid', p.pid], ['ppid', p.ppid], ['name', p.name], ['image', p.image ?? '—'],
    ['command line', p.commandLine ?? '—'], ['uid', p.uid], ['start', fmtTime(p.startNanos)], ['end', end],
    ['lifetime', LIFETIMES[p.lifetime] ?? p.lifetime], ['exit code', p.exitCode ?? '—'],
    ['events', fmtNum(p.events)], ['kernel thread', p.kernelThread ? 'yes' : 'no'], ['origin', p.origin ?? '—'],
    ['key', p.key],
  ];
  parts.details.replaceChildren(...rows.flatMap(([name, value]) =>
    [el('dt', {}, name), el('dd', { dataset: { field: name } }, String(value))]));
  parts.graph.setAttribute('href', href('graph', vm, p.key));
}
