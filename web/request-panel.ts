// The request panel (the body to be sent, with placeholders for the image data) and its copies: a curl
// command and TypeScript for the official SDK, copied with the real image data or file ids.
import { FILES_BETA, shownError } from './api.js';
import { toCurl, toTypeScript } from './code.js';
import { $, copyText } from './dom.js';
import { formatBytes } from './format.js';
import { betaHeader, extraHeaders, previewSource, request, sendSource, state } from './state.js';
import type { ShownError } from './types.js';
import { ensureUploads } from './uploads.js';

export function renderRequestPanel(): void {
  const { body } = request(previewSource);
  const code = $('request-json').firstElementChild;
  if (code) code.textContent = JSON.stringify(body, null, 2);
  $('request-endpoint').textContent =
    `POST ${location.origin}/v1/messages · x-api-key, anthropic-version: 2023-06-01` +
    (state.useFiles ? `, anthropic-beta: ${FILES_BETA}` : '') +
    (state.repairImages ? ', sightline-repair: images' : '');
}

/** The page's hooks. */
export interface CopyHooks {
  renderCards(): void;
  /** Shows why a copy failed (where the count's errors go). */
  showError(error: ShownError): void;
  announce(text: string): void;
}

/** Copies the request as a curl command or as TypeScript (uploading the images first with the Files API). */
export async function copyAs(kind: 'curl' | 'ts', { renderCards, showError, announce }: CopyHooks) {
  try {
    if (state.useFiles) await ensureUploads(renderCards);
    let text: string;
    if (kind === 'curl') {
      text = toCurl(request(sendSource).body, {
        origin: location.origin,
        beta: betaHeader() ?? '',
        headers: extraHeaders(),
      });
    } else {
      const files = new Map<string, string>();
      const { body } = request((image, number) => {
        if (state.useFiles) return sendSource(image);
        const marker = `__sightline_image_${number}__`;
        files.set(marker, image.name);
        return { type: 'base64', media_type: image.mediaType, data: marker };
      });
      text = toTypeScript(body, {
        origin: location.origin,
        files,
        fileIds: state.useFiles,
        headers: extraHeaders(),
      });
    }
    await copyText(text);
    announce(
      `Copied the request as ${kind === 'curl' ? 'a curl command' : 'TypeScript'} (${formatBytes(text.length)}).`,
    );
    flash(kind === 'curl' ? 'copy-curl' : 'copy-ts', 'Copied');
  } catch (error) {
    const shown = shownError(error);
    showError(shown);
    announce(`Could not copy: ${shown.message}`);
  }
}

/** Says `text` on a button for a moment. */
function flash(id: string, text: string) {
  const button = $(id);
  const original = button.dataset.label ?? button.textContent ?? '';
  button.dataset.label = original;
  button.textContent = text;
  setTimeout(() => {
    button.textContent = original;
  }, 1500);
}
