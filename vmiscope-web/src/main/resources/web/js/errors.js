// The one visible place for failures: a single line, replaced by the next one, dismissed by a click or by
// going to another view.
import { byId, setText } from './dom.js';

const bar = byId('error-bar');
bar.addEventListener('click', hideError);

export function hideError() {
  bar.hidden = true;
}

export function showError(message) {
  setText(bar, message);
  bar.hidden = false;
}
