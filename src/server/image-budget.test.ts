import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors/index.js';
import { createImageBudget } from './image-budget.js';

describe('createImageBudget', () => {
  it('grants within the budget, makes the next wait, and lets it in when room is returned', async () => {
    const budget = createImageBudget({ maxBytes: 100, waitMs: 1_000 });
    const first = budget.lease();
    await first.reserve(80);
    const second = budget.lease();
    let granted = false;
    const waiting = second.reserve(40).then(() => (granted = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(granted).toBe(false);
    first.release();
    await waiting;
    expect(budget.inUse).toBe(40);
    second.release();
    expect(budget.inUse).toBe(0);
  });

  it('answers 529 overloaded_error when no room comes within the wait', async () => {
    const budget = createImageBudget({ maxBytes: 100, waitMs: 50 });
    await budget.lease().reserve(100);
    const error = await budget
      .lease()
      .reserve(1)
      .catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 529, type: 'overloaded_error' });
  });

  it('runs a reservation larger than the whole budget alone, and stops waiting when the client leaves', async () => {
    const budget = createImageBudget({ maxBytes: 100, waitMs: 1_000 });
    const big = budget.lease();
    await big.reserve(500); // nothing else held: granted
    const abort = new AbortController();
    const waiting = budget
      .lease(abort.signal)
      .reserve(10)
      .catch((failure: unknown) => failure);
    abort.abort(new Error('client left'));
    expect(await waiting).toMatchObject({ message: 'client left' });
    big.release();
    expect(budget.inUse).toBe(0);
  });

  it('a release returned by reserve gives back only its own bytes, once', async () => {
    const budget = createImageBudget({ maxBytes: 100, waitMs: 50 });
    const lease = budget.lease();
    const releaseA = await lease.reserve(30);
    await lease.reserve(20);
    lease.add(5);
    releaseA();
    releaseA();
    expect(budget.inUse).toBe(25);
    lease.release();
    expect(budget.inUse).toBe(0);
  });

  it('a request whose client left holds nothing: what it held comes back, and it is granted nothing after', async () => {
    const budget = createImageBudget({ maxBytes: 100, waitMs: 50 });
    const abort = new AbortController();
    const lease = budget.lease(abort.signal);
    await lease.reserve(30);
    lease.add(10);
    expect(budget.inUse).toBe(40);
    abort.abort(new Error('client left'));
    expect(budget.inUse).toBe(0); // the response's close may already have fired: nothing else releases
    await expect(lease.reserve(40)).rejects.toThrow('client left');
    lease.add(5);
    expect(budget.inUse).toBe(0);
    // a lease taken after the client left (repairs and limits ran first) is granted nothing either
    await expect(budget.lease(abort.signal).reserve(40)).rejects.toThrow('client left');
    expect(budget.inUse).toBe(0);
  });
});
