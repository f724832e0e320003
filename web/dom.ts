// Small DOM helpers: the page's elements by id (checked), creating an element with properties, attributes,
// listeners and children, fitting a textarea, copying text.

/**
 * The page's element with this id; with a type (`$('message', HTMLTextAreaElement)`) checked to be one.
 * A missing or different element is a bug in index.html or here: it throws, naming the id.
 */
export function $(id: string): HTMLElement;
export function $<T extends HTMLElement>(id: string, type: abstract new () => T): T;
export function $(id: string, type: abstract new () => HTMLElement = HTMLElement): HTMLElement {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`Workbench: no ${type.name} #${id} in the page`);
  return element;
}

/** A child of h(): an element or text; null, undefined and false are skipped; arrays are flattened. */
export type Child = Node | string | null | undefined | false | readonly Child[];

/** The props of h(): properties, attributes (names with a dash), `class`, `dataset`, and `on…` listeners. */
export type Props = Record<string, unknown> & {
  class?: string;
  dataset?: Record<string, string>;
};

/**
 * h('button', { type: 'button', class: 'button', onclick: fn, 'aria-label': 'Remove' }, 'Remove')
 * Keys starting with `on` add listeners; `class` and `dataset` are special; names with a dash, and names
 * the element has no property for, become attributes; `true` sets an empty attribute; null/false skip.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') element.className = String(value);
    else if (key === 'dataset') Object.assign(element.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function')
      element.addEventListener(key.slice(2), value as EventListener);
    else if (!key.includes('-') && key in element) Reflect.set(element, key, value);
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  element.append(...nodes(children));
  return element;
}

/** The nodes and texts of h()'s children, arrays flattened, the skipped values left out. */
function nodes(children: readonly Child[]): (Node | string)[] {
  return children.flatMap((child) =>
    child === null || child === undefined || child === false
      ? []
      : typeof child === 'string' || child instanceof Node
        ? [child]
        : nodes(child),
  );
}

/** Grows a textarea to fit its text (within its CSS max-height). */
export function fitTextarea(textarea: HTMLTextAreaElement): void {
  textarea.style.height = 'auto';
  textarea.style.height = `${textarea.scrollHeight + 2}px`;
}

/** Copies text to the clipboard; falls back to a hidden textarea where the async API is refused. */
export async function copyText(text: string): Promise<void> {
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
