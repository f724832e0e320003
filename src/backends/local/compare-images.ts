// Pure comparisons between measured images: pixel difference of their thumbnails and the OCR words
// they share or do not share.
/** Mean absolute difference of two equally sized pixel buffers, as a percentage of full scale (255). */
export function meanAbsoluteDifferencePercent(first: Uint8Array, second: Uint8Array): number {
  if (first.length !== second.length) throw new Error('pixel buffers differ in size');
  if (first.length === 0) return 0;
  let total = 0;
  for (let index = 0; index < first.length; index += 1) {
    total += Math.abs((first[index] ?? 0) - (second[index] ?? 0));
  }
  return (total / first.length / 255) * 100;
}

/** Distinct words of the lines (letters and digits only, upper-cased), in order of first appearance. */
export function distinctWords(lines: ReadonlyArray<{ text: string }>): string[] {
  const words = new Set<string>();
  for (const line of lines) {
    for (const word of line.text.toUpperCase().match(/[\p{L}\p{N}]+/gu) ?? []) words.add(word);
  }
  return [...words];
}

export interface WordComparison {
  /** Words found in every image. */
  shared: string[];
  /** Per image (same order as the input), the words found in no other image. */
  unique: string[][];
}

export function compareWords(wordLists: readonly string[][]): WordComparison {
  const shared = (wordLists[0] ?? []).filter((word) => wordLists.every((words) => words.includes(word)));
  const unique = wordLists.map((words, index) =>
    words.filter((word) =>
      wordLists.every((other, otherIndex) => otherIndex === index || !other.includes(word)),
    ),
  );
  return { shared, unique };
}
