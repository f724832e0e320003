// The answer as markdown: parsed by marked, sanitised by DOMPurify (both served by Sightline itself from
// its node_modules), code blocks with a copy button. Scripts, event handlers and javascript: links in an
// answer never run: DOMPurify removes them before anything reaches the DOM.
import { copyText, h } from './dom.js';
import { Marked } from './marked.js';
import DOMPurify from './purify.js';

const parser = new Marked({ gfm: true, breaks: false, async: false });

/** Sanitised HTML for a markdown text. */
function markdownToHtml(text: string): string {
  return DOMPurify.sanitize(parser.parse(text) as string, { USE_PROFILES: { html: true } });
}

/** Renders `text` into `box` as markdown, with a copy button on each code block. */
export function renderMarkdown(box: HTMLElement, text: string): void {
  box.innerHTML = markdownToHtml(text);
  for (const pre of box.querySelectorAll('pre')) {
    const code = pre.querySelector('code') ?? pre;
    const button = h(
      'button',
      {
        type: 'button',
        class: 'button small copy-code',
        'aria-label': 'Copy the code',
        onclick: async () => {
          try {
            await copyText(code.textContent ?? '');
            button.textContent = 'Copied';
          } catch {
            button.textContent = 'Copy failed';
          }
          setTimeout(() => {
            button.textContent = 'Copy';
          }, 1500);
        },
      },
      'Copy',
    );
    const language = /\blanguage-([\w+-]+)/.exec(code.className)?.[1] ?? '';
    const wrapper = h('div', { class: 'code-block' });
    pre.replaceWith(wrapper);
    wrapper.append(
      h('div', { class: 'code-head' }, h('span', { class: 'code-language' }, language), button),
      pre,
    );
  }
}
