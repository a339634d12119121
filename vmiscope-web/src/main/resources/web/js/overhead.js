// The overhead view: what each action costs the VM (measured), the slowdown against the budget, the budget
// itself, and a what-if planner that predicts the slowdown of other combinations of actions.
import { api, vmPath } from './api.js';
import { el, byId, fill, setText } from './dom.js';
import { chartOf, textTooltip } from './charts.js';
import { fmtNum, fmtPct, fmtPrediction, isOverBudget, shorten } from './format.js';
import { loader } from './view.js';

const LIVE_RATES = 'this VM (live rates)';

const section = byId('view-overhead');
const load = loader(section);
const table = byId('overhead-actions');
const chartBox = byId('overhead-chart');
const slowdown = byId('overhead-slowdown');
const budgetInput = byId('budget-input');
const budgetSave = byId('budget-save');
const budgetNote = byId('budget-note');
const planActions = byId('plan-actions');
const planExtra = byId('plan-extra');
const planWorkload = byId('plan-workload');
const planNote = byId('plan-note');
const planResult = byId('plan-result');
const predict = loader(planResult);

let vm = null;

export function show(route) {
  const newVm = route.vm !== vm;
  vm = route.vm;
  return load(async (signal) => {
    const [overhead, model] = await Promise.all([
      api('GET', vmPath(vm, 'overhead'), { signal }),
      api('GET', '/api/overhead/model', { signal }),
    ]);
    render(overhead);
    if (newVm) renderPlanner(overhead, model);
  });
}

export const refresh = () => show({ vm });

function render(o) {
  const actions = o.actions ?? [];
  table.tBodies[0].replaceChildren(...actions.map((a) => el('tr', { dataset: { actionId: a.id } },
    el('td', {}, el('code', {}, a.id)),
    el('td', {}, a.running ? 'yes' : 'no'),
    ...[a.hits, a.events, a.periodicRuns].map((n) => el('td', { class: 'num' }, fmtNum(n))),
    el('td', { class: 'num' }, fmtNum((a.stoppedNanos ?? 0) / 1e6, 1)),
    el('td', { class: 'num' }, fmtPct(a.stoppedFraction)),
    el('td', { class: 'num' }, fmtNum((a.stoppedMedianNanos ?? 0) / 1e3, 1)),
    el('td', { class: 'num' }, fmtNum((a.stoppedP99Nanos ?? 0) / 1e3, 1)))));
  byId('overhead-empty').hidden = actions.length > 0;

  const over = isOverBudget(o.slowdown, o.budget);
  const estimated = o.slowdown == null ? `— (${o.live ? 'not measured yet' : 'not live'})`
    : `${o.slowdownLowerBound ? '≥' : '≈'} ${fmtPct(o.slowdown)}`;
  setText(slowdown, `estimated slowdown ${estimated}`
    + (o.budget == null ? ', no budget' : ` of ${fmtPct(o.budget, true)} budget`) + (over ? ' — over budget' : '')
    + (o.slowdownBasis ? ` (${o.slowdownBasis})` : ''));
  slowdown.classList.toggle('over', over);

  budgetInput.value = o.budget == null ? '' : String(+(o.budget * 100).toFixed(2));
  budgetInput.disabled = budgetSave.disabled = !o.live;
  budgetNote.textContent = o.live ? '' : 'imported data: the budget applies only to a live VM';

  renderChart(actions);
}

function renderChart(actions) {
  chartBox.hidden = actions.length === 0;
  if (chartBox.hidden) return;
  chartBox.style.height = `${Math.max(160, actions.length * 28 + 60)}px`;
  const chart = chartOf(chartBox);
  chart.resize();
  chart.setOption({
    animation: false,
    grid: { left: 8, right: 40, top: 16, bottom: 24, containLabel: true },
    tooltip: textTooltip(({ dataIndex }) => `${actions[dataIndex].id}\nstopped ${fmtPct(actions[dataIndex].stoppedFraction)} of the time`),
    xAxis: { type: 'value', name: 'stopped %', axisLabel: { formatter: (v) => `${v}%` } },
    yAxis: { type: 'category', inverse: true, data: actions.map((a) => shorten(a.id, 40)) },
    series: [{
      type: 'bar', barMaxWidth: 18, itemStyle: { color: '#3a78c2' },
      data: actions.map((a) => +((a.stoppedFraction ?? 0) * 100).toFixed(3)),
      label: { show: true, position: 'right', formatter: ({ value }) => `${value.toFixed(1)}%` },
    }],
  }, { notMerge: true });
}

byId('budget-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const percent = Number(budgetInput.value);
  load(async (signal) => {
    render(await api('PUT', vmPath(vm, 'budget'), { body: { maxSlowdown: percent / 100 }, signal }));
  });
});

// --- the what-if planner ---

function renderPlanner(o, model) {
  const running = (o.actions ?? []).filter((a) => a.running).map((a) => a.id);
  const specs = [...new Set([...running, ...(model?.actions ?? [])])];
  planActions.replaceChildren(...specs.map((spec) => el('label', { class: 'plan-choice' },
    el('input', { type: 'checkbox', class: 'plan-action', value: spec }), ' ', spec)));
  fill(planWorkload,
    o.live && el('option', { value: '', selected: true }, LIVE_RATES),
    ...(model?.workloads ?? []).map((w) => el('option', { value: w }, w)));
  planNote.textContent = model?.fitted ? '' : 'no overhead model is fitted: only a live VM\'s rates can predict';
  planResult.replaceChildren();
}

byId('plan-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const checked = [...planActions.querySelectorAll('input.plan-action:checked')].map((box) => box.value);
  const extra = planExtra.value.split(',').map((s) => s.trim()).filter(Boolean);
  const actions = [...new Set([...checked, ...extra])];
  const body = planWorkload.value ? { actions, workload: planWorkload.value } : { actions, vm };
  predict(async (signal) => renderPrediction(await api('POST', '/api/overhead/predict', { body, signal })));
});

function renderPrediction(p) {
  fill(planResult,
    el('p', { class: 'prediction' }, fmtPrediction(p)),
    el('ul', { class: 'per-action' }, Object.entries(p.perAction ?? {}).map(([spec, share]) =>
      el('li', {}, el('code', {}, spec), ` ${fmtPct(share)}`))),
    el('p', { class: 'basis' }, p.basis ?? ''),
    p.budget != null && el('p', { class: `verdict ${p.fits ? 'fits' : 'over'}` },
      `${p.fits ? 'fits the budget' : 'over budget'} (${fmtPct(p.budget, true)})`));
}
