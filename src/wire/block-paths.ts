// The JSON paths of content blocks, as error messages, image reports and prepared images name them.
// One definition, so the image a path names is found again wherever the path is built.

/** `messages.2.content.1`: block `blockIndex` of turn `messageIndex`. */
export const contentBlockPath = (messageIndex: number, blockIndex: number): string =>
  `messages.${messageIndex}.content.${blockIndex}`;

/** `messages.2.content.0.tool_result.content.1`: block `index` inside the tool_result at `toolResultPath`. */
export const toolResultBlockPath = (toolResultPath: string, index: number): string =>
  `${toolResultPath}.tool_result.content.${index}`;
