// An image problem as the page tells it: once, on the image's own card, with the user's numbering
// ("Image 3"), the image's actual size and what to do about it. The limits themselves are not typed here:
// they are read from the API's message (the shared image checks' wording, the server's too).
import { formatBytes, formatInt } from './format.js';
import type { PageImage, Placement } from './types.js';

/** The JSON path an API message starts with (`messages.0.content.5.image.source.base64.data: …`). */
const PATH = /^(messages\.\d+\.content\.\d+)(?:\.[\w.]+)?: /;

/** The API's message without the JSON path (a path counts blocks the page inserted, not the user's images). */
const withoutPath = (message: string): string => message.replace(PATH, '');

/** The placement (`{ image, number, path }`) an API error message points at, if any. */
export function placementOfError<P extends Placement>(message: string, placements: readonly P[]): P | null {
  const path = PATH.exec(message)?.[1];
  return path ? (placements.find((placement) => placement.path === path) ?? null) : null;
}

const px = ({ width, height }: { width: number; height: number }) =>
  `${formatInt(width)} × ${formatInt(height)} px`;

/** A problem as the card tells it: what is wrong, what to do, and the API's own message. */
export interface ProblemText {
  summary: string;
  fix: string;
  api: string;
}

/**
 * { summary, fix, api } for an image's problem. card: { image, number }; message: the API's message;
 * useFiles: whether images go through the Files API.
 */
export function describeProblem(
  { image, number }: { image: PageImage; number: number },
  message: string,
  { useFiles }: { useFiles: boolean },
): ProblemText {
  const who = `Image ${number} (${image.name})`;
  const api = withoutPath(message);
  const bytes = /exceeds (.+?) maximum: (\d+) bytes > (\d+) bytes/.exec(api);
  if (bytes) {
    const [, label, actual, limit] = bytes;
    if (!useFiles) {
      const fits = image.size <= Number(limit);
      return {
        summary: `${who} is ${formatBytes(image.size)}, which is ${formatBytes(Number(actual))} as base64 (base64 adds a third): over the ${label} limit per image.`,
        fix: fits
          ? 'Turn on “Send images through the Files API”: there the file’s own size counts, and it fits.'
          : `Make the file smaller than ${formatBytes(Number(limit))}: scale it down or save it as a JPEG.`,
        api,
      };
    }
    return {
      summary: `${who} is ${formatBytes(Number(actual))}: over the ${label} limit per image.`,
      fix: `Make the file smaller than ${formatBytes(Number(limit))}: scale it down or save it as a JPEG.`,
      api,
    };
  }
  const many = /max allowed size for many-image requests: (\d+) pixels/.exec(api);
  if (many && image.probe) {
    const limit = formatInt(Number(many[1]));
    return {
      summary: `${who} is ${px(image.probe)}: with this many images in one request, each side may be at most ${limit} px.`,
      fix: `Scale it down to at most ${limit} px per side, or send fewer images.`,
      api,
    };
  }
  const side = /max allowed size: (\d+) pixels/.exec(api);
  if (side && image.probe) {
    const limit = formatInt(Number(side[1]));
    return {
      summary: `${who} is ${px(image.probe)}: the API refuses images with a side over ${limit} px.`,
      fix: `Scale it down so that both sides are at most ${limit} px.`,
      api,
    };
  }
  // `media_type: ` is part of the path the message starts with: gone from `api` when that path was there
  const media = /^(?:media_type: )?Input should be (.+)$/.exec(api);
  if (media) {
    return {
      summary: `${who} is ${image.mediaType}, which the API does not accept.`,
      fix: `Convert it to one of ${media[1]}.`,
      api,
    };
  }
  if (/^Could not process image/.test(api)) {
    return {
      summary: `${who} could not be read as an image (${formatBytes(image.size)}).`,
      fix: 'Check the file: it may be damaged, or not an image.',
      api,
    };
  }
  const count = /(\d+) images > (\d+)$/.exec(api);
  if (count) {
    return {
      summary: `${who} is one image too many: this model takes at most ${formatInt(Number(count[2]))} images per request, and this one has ${formatInt(Number(count[1]))}.`,
      fix: 'Remove images, or start a new conversation.',
      api,
    };
  }
  return { summary: `${who}: ${api}`, fix: '', api };
}
