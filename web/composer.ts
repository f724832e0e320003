// The message box: typing, Enter to send, images attached by the file chooser, or dropped or pasted
// anywhere on the page (nothing replaces the page), removed from their cards; and the folds of narrow
// screens (the conversations and the settings behind the top bar's buttons).
import { $, fitTextarea } from './dom.js';
import { bitmapOf, readImage } from './images.js';
import { placements, state } from './state.js';
import type { PageImage } from './types.js';

/** The page's hooks. */
export interface ComposerHooks {
  changed(options?: { images?: boolean; save?: boolean }): void;
  send(): Promise<void>;
  startNew(): void;
  announce(text: string): void;
}

/** Pasted images have no name: they are numbered for this page. */
let pastedCount = 0;

async function addImages(files: File[], { changed, announce }: ComposerHooks) {
  const images = files.filter((file) => file.type.startsWith('image/') || file.type === '');
  if (images.length === 0) return;
  const added: PageImage[] = [];
  for (const file of images) {
    const fallback = `pasted-${++pastedCount}.${(file.type.split('/')[1] ?? 'bin').replace('jpeg', 'jpg')}`;
    const image = await readImage(file, fallback);
    state.conversation.draft.images.push(image);
    added.push(image);
    void bitmapOf(image);
  }
  changed({ images: true });
  const numbers = placements()
    .filter((card) => added.includes(card.image))
    .map((card) => `Image ${card.number}${card.problem ? ' (would be rejected: see its card)' : ''}`);
  announce(`Attached ${numbers.join(', ')}.`);
}

/** Removes an image from the message box (its card's × button). */
export function removeImage(
  image: PageImage,
  { changed, announce }: Pick<ComposerHooks, 'changed' | 'announce'>,
) {
  const { images } = state.conversation.draft;
  const index = images.indexOf(image);
  if (index === -1) return;
  images.splice(index, 1);
  URL.revokeObjectURL(image.url);
  changed({ images: true });
  $('message').focus();
  announce(`Removed ${image.name}.`);
}

export function closeFolds(): void {
  document.body.classList.remove('settings-open', 'conversations-open');
  $('toggle-settings').setAttribute('aria-expanded', 'false');
  $('toggle-conversations').setAttribute('aria-expanded', 'false');
}

export function wireComposer(hooks: ComposerHooks): void {
  const { changed, send, startNew } = hooks;
  const message = $('message', HTMLTextAreaElement);
  message.addEventListener('input', () => {
    state.conversation.draft.text = message.value;
    fitTextarea(message);
    changed();
  });
  message.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void send();
    }
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void send();
    }
  });
  $('send').addEventListener('click', () => void send());
  $('stop').addEventListener('click', () => state.sending?.abort());
  const fileInput = $('file-input', HTMLInputElement);
  $('attach').addEventListener('click', () => fileInput.click());
  fileInput.addEventListener('change', () => {
    void addImages([...(fileInput.files ?? [])], hooks);
    fileInput.value = '';
  });
  $('new-conversation').addEventListener('click', startNew);

  // Files dropped anywhere on the page attach to the message box; nothing replaces the page.
  const overlay = $('drop-overlay');
  let depth = 0;
  const carriesFiles = (event: DragEvent) => [...(event.dataTransfer?.types ?? [])].includes('Files');
  window.addEventListener('dragenter', (event) => {
    event.preventDefault();
    if (!carriesFiles(event)) return;
    depth += 1;
    overlay.hidden = false;
  });
  window.addEventListener('dragover', (event) => {
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = carriesFiles(event) ? 'copy' : 'none';
  });
  window.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) overlay.hidden = true;
  });
  window.addEventListener('drop', (event) => {
    event.preventDefault();
    depth = 0;
    overlay.hidden = true;
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length > 0) void addImages(files, hooks);
  });
  document.addEventListener('paste', (event) => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    void addImages(files, hooks);
  });

  // Narrow screens: the conversations and the settings fold away behind the top bar's buttons.
  for (const [button, panel, openClass] of [
    ['toggle-settings', 'settings', 'settings-open'],
    ['toggle-conversations', 'conversations', 'conversations-open'],
  ] as const) {
    $(button).addEventListener('click', () => {
      const open = !document.body.classList.contains(openClass);
      closeFolds();
      document.body.classList.toggle(openClass, open);
      $(button).setAttribute('aria-expanded', String(open));
      if (open) $(panel).querySelector<HTMLElement>('input, select, button')?.focus();
    });
  }
}
