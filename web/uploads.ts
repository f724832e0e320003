// Images through the Files API: each image is uploaded once per API key (a file id belongs to the key's
// workspace); an upload in progress is shared by whoever needs it (count_tokens, Send, the copies).
import { shownError } from './api.js';
import { allImages, api, keyNow } from './state.js';

/** Uploads every image not yet in the Files API; onChange() when an upload starts or ends. */
export async function ensureUploads(onChange: () => void): Promise<void> {
  const key = keyNow();
  let started = false;
  const pending = allImages().map((image) => {
    if (image.fileIds.has(key)) return Promise.resolve();
    let upload = image.uploads.get(key);
    if (!upload) {
      started = true;
      image.uploadError = null;
      upload = api.uploadFile(image.blob, image.name).then(
        (metadata) => {
          image.fileIds.set(key, metadata.id);
          image.uploads.delete(key);
          onChange();
        },
        (error: unknown) => {
          image.uploads.delete(key);
          image.uploadError = error instanceof Error ? error : new Error(shownError(error).message);
          onChange();
          throw error;
        },
      );
      image.uploads.set(key, upload);
    }
    return upload;
  });
  if (started) onChange();
  await Promise.all(pending);
}
