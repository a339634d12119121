// Plumbing shared by the views: loads that report their state in data-state, and debouncing.
import { showError } from './errors.js';

/**
 * Returns run(work): aborts the previous run, marks `node` data-state loading, awaits work(signal) and marks it
 * ready, or error when it fails — so a slow old answer never lands over a newer one, and tests can wait on ready.
 */
export function loader(node) {
  let current = null;
  return async (work) => {
    current?.abort();
    const mine = new AbortController();
    current = mine;
    node.dataset.state = 'loading';
    try {
      await work(mine.signal);
      if (current === mine) {
        node.dataset.state = 'ready';
        performance.mark(`ready:${node.id}`);   // read by the performance test
      }
    } catch (error) {
      if (current !== mine || error.name === 'AbortError') return;
      node.dataset.state = 'error';
      if (!('status' in error)) { // API failures are already shown; this is a bug of ours
        console.error(error);
        showError(`internal error: ${error.message}`);
      }
    }
  };
}

export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/** Whether a view's section is the one on screen. */
export const isShown = (section) => !section.hidden;
