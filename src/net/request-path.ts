// A request target without its query string: for logs and messages (queries may hold ids; keep lines short).

/** The path part of a request target (`/v1/files?limit=2` → `/v1/files`). */
export const pathOf = (url: string): string => url.split('?')[0] ?? url;
