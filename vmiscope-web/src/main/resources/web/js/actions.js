// On-demand introspection: template buttons (per VM and per process), the preview dialog that weighs an action
// against the budget and offers cheaper variants, and the VM's running actions with their stop buttons.
import { api, vmPath } from './api.js';
import { el, byId, setText } from './dom.js';
import { fmtNum, fmtPct, fmtPrediction } from './format.js';
import { isLive } from './state.js';
import { loader } from './view.js';

const IMPORTED = 'imported data: no live VM to introspect';

const vmButtons = byId('vm-actions');
const runningList = byId('running-actions');
const dialog = byId('action-dialog');
const dialogLoad = loader(dialog);
const startButton = byId('action-start');

let vm = null;
let templates = [];
let ready = Promise.resolve();   // the current VM's templates are known once this settles
let started = null;              // the id of the action last started here, highlighted in the running list

/** Loads the VM's templates and running actions; call on a change of VM and when actions changed. */
export function load(vmName) {
  vm = vmName;
  ready = fetchActions(vmName);
  return ready;
}

export const refresh = () => (vm ? load(vm) : Promise.resolve());

async function fetchActions(vmName) {
  const live = isLive(vmName);
  let answer = null;
  try {
    // Imported VMs may have no actions to offer: their failure is expected, not an error to show.
    answer = await api('GET', vmPath(vmName, 'actions'), { quiet: !live });
  } catch {
    // keep the templates known from another VM, to show them disabled
  }
  if (vmName !== vm) return;
  if (answer) templates = answer.templates ?? [];
  vmButtons.replaceChildren(...buttons(templates.filter((t) => !t.perProcess), live, null));
  renderRunning(live ? answer?.running ?? [] : []);
  runningList.hidden = !live;
}

/** Fills `box` with the per-process templates' buttons for a process. */
export async function fillProcessButtons(box, vmName, process) {
  await ready;
  if (vmName !== vm) return;
  box.replaceChildren(...buttons(templates.filter((t) => t.perProcess), isLive(vmName), process));
}

function buttons(list, live, process) {
  if (!live && !list.length) {
    return [el('button', { class: 'ondemand', type: 'button', disabled: true, title: IMPORTED }, 'on-demand introspection')];
  }
  return list.map((t) => el('button', {
    class: 'ondemand', type: 'button', dataset: { template: t.id },
    disabled: !live, title: live ? `${t.label} (preview its cost first)` : IMPORTED,
    onclick: () => openPreview(t, process),
  }, t.label ?? t.id));
}

function renderRunning(actions) {
  runningList.replaceChildren(...actions.map((a) => el('li', { dataset: { actionId: a.id }, class: a.id === started ? 'just-started' : null },
    el('code', {}, a.id), ' ',
    el('span', { class: 'action-stats' },
      `${fmtNum(a.hits)} hits · ${fmtNum(a.events)} events · stopped ${fmtPct(a.stoppedFraction)}`),
    el('button', { class: 'stop-action', type: 'button', title: 'stop this action', onclick: () => stop(a.id) }, 'stop'))));
}

async function stop(id) {
  try {
    await api('DELETE', vmPath(vm, 'actions', id));
  } finally {
    await refresh();
  }
}

// --- the preview dialog ---

const dialogParts = {
  label: byId('action-label'), prediction: byId('action-prediction'), budget: byId('action-budget'),
  notes: byId('action-notes'), variants: byId('action-variants'), error: byId('action-error'),
};

function openPreview(template, process) {
  const { label, prediction, budget, notes, variants, error } = dialogParts;
  setText(label, template.label ?? template.id);
  [prediction, budget, error].forEach((node) => { node.textContent = ''; });
  budget.className = '';
  notes.replaceChildren();
  variants.replaceChildren();
  startButton.disabled = true;
  dialog.showModal();
  const body = process ? { template: template.id, pid: process.pid } : { template: template.id };
  return dialogLoad(async (signal) => {
    renderPreview(await inDialog(api('POST', vmPath(vm, 'actions', 'preview'), { body, signal })));
    startButton.disabled = false;
  });
}

/** The error bar is behind the modal dialog: show failures inside it too. */
async function inDialog(call) {
  try {
    return await call;
  } catch (e) {
    if (e.name !== 'AbortError') setText(dialogParts.error, e.message);
    throw e;
  }
}

function renderPreview(p) {
  const { label, prediction, budget, notes, variants } = dialogParts;
  setText(label, p.label);
  setText(prediction, fmtPrediction(p.requested));
  if (p.budget == null) {
    budget.textContent = 'no budget set';
  } else {
    setText(budget, `budget ${fmtPct(p.budget, true)} — ${p.fits ? 'fits' : 'over budget'}`);
    budget.className = p.fits ? 'fits' : 'over';
  }
  notes.replaceChildren(...(p.notes ?? []).map((note) => el('li', {}, note)));
  const cheaper = p.variants ?? [];
  const pickRequested = p.fits || !cheaper.length;
  variants.replaceChildren(
    variant({ spec: p.spec, label: `${p.label} (as requested)`, prediction: p.requested }, pickRequested),
    ...cheaper.map((v, i) => variant(v, !pickRequested && i === 0)));
}

/** One choice; a time-boxed variant carries its duty cycle, which starting it must pass on. */
function variant({ spec, label, coverage = null, prediction, onMillis = null, offMillis = null }, checked) {
  const duty = onMillis == null ? {} : { onMillis: String(onMillis), offMillis: String(offMillis) };
  return el('li', {},
    el('label', {},
      el('input', { type: 'radio', name: 'variant', value: spec, checked, dataset: duty }),
      ' ', el('span', { class: 'variant-label' }, label), ' ', el('code', {}, spec),
      el('span', { class: 'variant-info' },
        coverage == null ? '' : ` · coverage ${fmtPct(coverage, true)}`, ` · ${fmtPrediction(prediction)}`)));
}

startButton.addEventListener('click', () => dialogLoad(async (signal) => {
  const chosen = dialog.querySelector('input[name=variant]:checked');
  if (!chosen) return;
  const body = { spec: chosen.value };
  if (chosen.dataset.onMillis) {
    body.onMillis = Number(chosen.dataset.onMillis);
    body.offMillis = Number(chosen.dataset.offMillis);
  }
  started = (await inDialog(api('POST', vmPath(vm, 'actions'), { body, signal })))?.id ?? null;
  dialog.close();
  await refresh();
}));

byId('action-cancel').addEventListener('click', () => dialog.close());
