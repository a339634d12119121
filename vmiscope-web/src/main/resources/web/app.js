// vmiscope's browser UI: the header (VM picker, navigation, global time range), routing between the views,
// and the live stream's notices.
import * as actions from './js/actions.js';
import * as alerts from './js/alerts.js';
import { api, setCsrf } from './js/api.js';
import { el, byId, setText } from './js/dom.js';
import { hideError } from './js/errors.js';
import * as events from './js/events.js';
import { fmtRange } from './js/format.js';
import * as graph from './js/graph.js';
import * as live from './js/live.js';
import * as overhead from './js/overhead.js';
import { VIEWS, go, href, parseHash } from './js/router.js';
import { isLive, isMonitored, loadVms, on, setRange, state } from './js/state.js';
import * as timeline from './js/timeline.js';
import * as tree from './js/tree.js';
import { debounce } from './js/view.js';
import * as vms from './js/vms.js';

const views = { vms, tree, timeline, graph, events, alerts, overhead };
const picker = byId('vm-select');
const vmMode = byId('vm-mode');
const vmBar = byId('vm-bar');
const rangeLabel = byId('range-label');
const rangeClear = byId('range-clear');

let route = null;
let actionsVm = null;   // the VM whose actions the VM bar shows

function onRoute() {
  route = parseHash(location.hash);
  if (!route) {
    history.replaceState(null, '', '#/vms');
    route = parseHash('#/vms');
  }
  const vmChanged = route.vm != null && route.vm !== state.vm;
  if (route.vm) state.vm = route.vm;
  state.vm ??= state.vms[0]?.vm ?? null;
  hideError();
  document.body.dataset.view = route.view;
  for (const name of VIEWS) byId(`view-${name}`).hidden = name !== route.view;
  if (vmChanged && state.range) setRange(null);   // a range is a span of one VM's time
  renderPicker();
  renderNav();
  renderVmBar();
  if (route.vm && route.vm !== actionsVm) {
    actionsVm = route.vm;
    actions.load(route.vm);
  }
  live.connect(route.vm);
  views[route.view].show(route);
}

function renderVmBar() {
  vmBar.hidden = !route.vm;
  vmBar.dataset.live = String(isLive(route.vm));
  renderVmMode();
}

// A VM is "live" only while a monitor is attached to it; a stored file (imported, or an earlier session) is not.
function renderVmMode() {
  vmMode.hidden = !route.vm;
  const monitored = isMonitored(route.vm);
  vmMode.className = monitored ? 'live' : 'stored';
  vmMode.textContent = monitored ? '● live' : isLive(route.vm) ? 'monitor ended' : 'stored';
  vmMode.title = monitored ? 'a monitor is attached to this VM: its events arrive as they happen'
    : 'events read from the store (imported logs or an earlier session): no monitor is attached';
}

function renderPicker() {
  const names = state.vms.map((v) => v.vm);
  if (state.vm != null && !names.includes(state.vm)) names.push(state.vm);
  picker.replaceChildren(...names.map((vm) =>
    el('option', { value: vm, selected: vm === state.vm }, isMonitored(vm) ? `${vm} ● live` : vm)));
  picker.disabled = names.length === 0;
}

function renderNav() {
  for (const link of document.querySelectorAll('#nav a[data-view]')) {
    const view = link.dataset.view;
    const key = view === 'graph' && state.selected?.vm === state.vm ? state.selected.key : null;
    link.setAttribute('href', href(view, state.vm, key));
    if (view === route?.view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

// A process key belongs to one VM: on another VM the graph view shows the whole VM's graph.
picker.addEventListener('change', () => go(route.view === 'vms' ? 'tree' : route.view, picker.value));

rangeClear.addEventListener('click', () => setRange(null));
on('range', () => {
  setText(rangeLabel, fmtRange(state.range));
  rangeClear.hidden = !state.range;
});
on('vms', () => {
  renderPicker();
  if (route) renderVmBar();
});
on('selected', renderNav);

// A burst of 'refreshed' notices re-fetches once; each view keeps its selection and scroll.
const refreshView = debounce(() => {
  if (route.view !== 'vms') loadVms({ quiet: true }).catch(() => {});
  views[route.view].refresh();
}, 1000);

live.onNotice(
  () => refreshView(),
  () => {
    actions.refresh();
    if (['vms', 'overhead'].includes(route?.view)) refreshView();
  },
  (vm) => {
    alerts.alertArrived(vm);
    if (route?.view === 'vms') refreshView();
  });

async function start() {
  try {
    const session = await api('GET', '/api/session');
    setCsrf(session?.csrf);
    setText(byId('version'), session?.version ?? '');
  } catch {
    // shown in the error bar; read-only views still work
  }
  await loadVms().catch(() => {});
  window.addEventListener('hashchange', onRoute);
  onRoute();
}

start();
