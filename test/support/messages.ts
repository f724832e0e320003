// Request pieces tests and benchmarks send again and again, typed as the official SDK's params so a test
// can hand them straight to a client: an image block from bytes, a user turn asking about one image.
import type Anthropic from '@anthropic-ai/sdk';

export type ImageMediaType = Anthropic.Base64ImageSource['media_type'];

/** A base64 image block holding `bytes`. */
export const base64Image = (
  bytes: Buffer,
  mediaType: ImageMediaType = 'image/png',
): Anthropic.ImageBlockParam => ({
  type: 'image',
  source: { type: 'base64', media_type: mediaType, data: bytes.toString('base64') },
});

/** A user turn: one image, then a question about it. */
export const askAboutImage = (
  bytes: Buffer,
  mediaType: ImageMediaType,
  question: string,
): Anthropic.MessageParam => ({
  role: 'user',
  content: [base64Image(bytes, mediaType), { type: 'text', text: question }],
});
