// List commands (files, models): one page as the server sends it, or with --max-items N every item of
// as many pages as it takes (after_id = last_id while has_more), one printed value per item.
import { type ApiCommandContext, printResponse } from './api-command.js';
import { integerOption, textOption } from './api-parameters.js';
import { isPlainObject } from './request-body.js';

export const LIST_OPTIONS = {
  limit: { value: true },
  'after-id': { value: true },
  'before-id': { value: true },
  'max-items': { value: true },
} as const;

export const LIST_HELP = `  --limit N               items per page (1–1000, default 20)
  --after-id ID           the page after this id
  --before-id ID          the page before this id
  --max-items N           follow pages and print up to N items, one value each`;

export async function runList(
  context: ApiCommandContext,
  path: string,
  extraQuery: Readonly<Record<string, string | undefined>>,
  title: string,
): Promise<number> {
  const query: Record<string, string | number | undefined> = {
    limit: integerOption(context, 'limit'),
    after_id: textOption(context, 'after-id'),
    before_id: textOption(context, 'before-id'),
    ...extraQuery,
  };
  const send = () =>
    context.client.send({ method: 'GET', path, query, beta: context.beta, betas: context.betas });
  // jsonl is a stream of items: one line per item (a --transform applies to each), across pages;
  // --max-items still caps it
  const maxItems =
    integerOption(context, 'max-items') ??
    (context.settings.format === 'jsonl' ? Number.POSITIVE_INFINITY : undefined);
  if (maxItems === undefined) return printResponse(context, await send(), title);
  const backwards = query.before_id !== undefined;
  let printed = 0;
  while (printed < maxItems) {
    const page = (await (await send()).json()) as unknown;
    const data = isPlainObject(page) && Array.isArray(page.data) ? page.data : [];
    for (const item of data) {
      if (printed >= maxItems) break;
      context.output(item, { title });
      printed += 1;
    }
    if (!isPlainObject(page) || page.has_more !== true) break;
    const cursor = backwards ? page.first_id : page.last_id;
    if (typeof cursor !== 'string') break;
    if (backwards) query.before_id = cursor;
    else query.after_id = cursor;
  }
  return 0;
}
