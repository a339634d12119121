// The VMs overview: one row per VM with its size, rate, running actions and slowdown against its budget.
import { el, byId } from './dom.js';
import { fmtNum, fmtPct, fmtSlowdown, isOverBudget, clip } from './format.js';
import { href } from './router.js';
import { loadVms } from './state.js';
import { loader } from './view.js';

const section = byId('view-vms');
const body = byId('vms-table').tBodies[0];
const empty = byId('vms-empty');
const load = loader(section);

export function show() {
  return load(async (signal) => render(await loadVms({ signal })));
}

export const refresh = show;

function render(vms) {
  body.replaceChildren(...vms.map(row));
  empty.hidden = vms.length > 0;
}

const num = (n, digits) => el('td', { class: 'num' }, fmtNum(n, digits));

function row(v) {
  const sources = v.sources ?? [];
  return el('tr', { dataset: { vm: v.vm }, class: v.live ? 'live' : null },
    el('td', {}, el('a', { href: href('tree', v.vm) }, v.vm)),
    el('td', {}, el('span', { class: `status ${v.live ? 'live' : ''}` }, v.live ? `live · ${v.status}` : v.status)),
    el('td', { class: 'sources', title: sources.join('\n') }, clip(sources.join(', '), 60)),
    num(v.events), num(v.processes), num(v.eventsPerSecond, 1),
    el('td', { class: 'actions' }, (v.actions ?? []).map((a) =>
      el('span', { class: 'action-chip', title: `stopped ${fmtPct(a.stoppedFraction)} of the time` },
        el('code', {}, a.id), ' ', fmtPct(a.stoppedFraction)))),
    slowdownCell(v),
    num(v.alerts));
}

function slowdownCell(v) {
  return el('td', { class: isOverBudget(v.slowdown, v.budget) ? 'over' : null, title: v.slowdownBasis ?? '' },
    fmtSlowdown(v.slowdown, v.budget, v.slowdownLowerBound));
}
