// The image parts of a prompt in reading order: every turn, including images returned inside tool results.
import type { BackendPrompt, PromptImagePart } from './types.js';

export function listPromptImages(prompt: BackendPrompt): PromptImagePart[] {
  const images: PromptImagePart[] = [];
  for (const turn of prompt.turns) {
    for (const part of turn.parts) {
      if (part.type === 'image') images.push(part);
      else if (part.type === 'tool-result') {
        for (const inner of part.content ?? []) if (inner.type === 'image') images.push(inner);
      }
    }
  }
  return images;
}
