// "Spent today": what this key's workspace has spent since midnight UTC, from the server's own usage
// records (GET /v1/sightline/spend, the same records the Admin API's cost report sums). Refreshed when
// the key changes and after each answer; a failure just leaves the line empty.
import type { Api } from './api.js';
import { formatInt, formatUsd } from './format.js';

export async function refreshSpend(api: Api, element: HTMLElement): Promise<void> {
  try {
    const spend = await api.spendToday();
    const images = spend.images > 0 ? `, ${formatInt(spend.images)} images` : '';
    element.textContent = `Spent today (UTC) in this workspace: ${formatUsd(spend.amount_usd)} · ${formatInt(spend.requests)} requests${images}`;
  } catch {
    element.textContent = '';
  }
}
