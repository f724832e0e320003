// Small DOM helpers: create an element with properties, attributes, listeners and children.

/** The page's element with this id. */
export const $ = (id) => document.getElementById(id);

/**
 * h('button', { type: 'button', class: 'button', onclick: fn, 'aria-label': 'Remove' }, 'Remove')
 * Keys starting with `on` add listeners; `class` and `dataset` are special; names with a dash, and names
 * the element has no property for, become attributes; `true` sets an empty attribute; null/false skip.
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') element.className = value;
    else if (key === 'dataset') Object.assign(element.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function')
      element.addEventListener(key.slice(2), value);
    else if (!key.includes('-') && key in element) element[key] = value;
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  element.append(
    ...children.flat().filter((child) => child !== null && child !== undefined && child !== false),
  );
  return element;
}

/** Grows a textarea to fit its text (within its CSS max-height). */
export function fitTextarea(textarea) {
  textarea.style.height = 'auto';
  textarea.style.height = `${textarea.scrollHeight + 2}px`;
}

/** Copies text to the clipboard; falls back to a hidden textarea where the async API is refused. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    const scratch = h('textarea', { class: 'visually-hidden', value: text, 'aria-hidden': 'true' });
    document.body.append(scratch);
    scratch.select();
    const copied = document.execCommand('copy');
    scratch.remove();
    if (!copied) throw new Error('The browser refused to copy to the clipboard');
  }
}
