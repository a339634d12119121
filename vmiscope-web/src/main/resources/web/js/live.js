// The server-sent event stream: live events into #live-events, the connection state in #stream-status,
// and 'refreshed' / 'actions' notices and live alerts handed to the app.
import { el, byId } from './dom.js';
import { fmtClock } from './format.js';

const KEEP = 200;
const list = byId('live-events');
const status = byId('stream-status');

let source = null;
let streamVm;   // the VM the stream is filtered to, '' for every VM
let handlers = { refreshed() {}, actions() {}, alert() {} };

/** refreshed(vm): a VM's views changed; actions(vm): its actions changed; alert(vm): a live alert arrived. */
export function onNotice(refreshed, actions, alert) {
  handlers = { refreshed, actions, alert };
}

/** Streams one VM's notices (or every VM's, for null); EventSource reconnects by itself after a failure. */
export function connect(vm) {
  const wanted = vm ?? '';
  if (source && wanted === streamVm) return;
  source?.close();
  streamVm = wanted;
  list.replaceChildren();
  source = new EventSource('/api/stream' + (wanted ? '?' + new URLSearchParams({ vm: wanted }) : ''));
  source.onopen = () => setStatus(true);
  source.onerror = () => setStatus(false);
  source.addEventListener('event', (m) => {
    const ev = parse(m);
    if (streamVm) prepend(eventLine(ev));
    if (ev?.kind === 'alert') handlers.alert(streamVm || null);
  });
  source.addEventListener('control', (m) => { if (streamVm) prepend(controlLine(parse(m))); handlers.actions(); });
  source.addEventListener('refreshed', (m) => handlers.refreshed(parse(m)?.vm));
  source.addEventListener('actions', (m) => handlers.actions(parse(m)?.vm));
}

// A page left open in the back/forward cache keeps its stream, and a browser opens only six connections to
// one HTTP/1.1 server: close the stream when the page is hidden away, open it again when it comes back.
window.addEventListener('pagehide', () => {
  source?.close();
  source = null;
});
window.addEventListener('pageshow', (e) => {
  if (e.persisted && streamVm !== undefined) {
    const vm = streamVm;
    streamVm = undefined;
    connect(vm || null);
  }
});

function parse(message) {
  try {
    return JSON.parse(message.data);
  } catch {
    return null;
  }
}

// Says what is connected: the event stream, not the VM (a stored file served has a stream too).
function setStatus(connected) {
  status.textContent = connected ? 'stream connected' : 'stream offline';
  status.className = connected ? 'connected' : 'offline';
}

const eventLine = (ev) => ev && el('li', { class: 'live-event', dataset: { kind: ev.kind } },
  el('span', { class: 'time' }, fmtClock(ev.timeNanos)), ' ', el('span', { class: 'num' }, ev.pid >= 0 ? ev.pid : ''), ' ',
  el('span', { class: 'proc-name', title: ev.processPath ?? '' }, ev.processName ?? ev.process), ' ',
  el('span', { class: 'kind' }, ev.kind), ' ', ev.label ?? ev.name ?? '', ' ', el('span', { class: 'summary' }, ev.summary ?? ''));

const controlLine = (c) => c && el('li', { class: 'live-control' },
  el('span', { class: 'kind' }, 'control'), ` ${c.action ?? ''} ${c.state ?? ''} ${c.reason ?? ''}`);

function prepend(item) {
  if (!item) return;
  list.prepend(item);
  while (list.childElementCount > KEEP) list.lastElementChild.remove();
}
