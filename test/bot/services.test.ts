import { afterEach, describe, expect, it, vi } from 'vitest';
import { RoundTracker } from '../../bot/services/round-tracker.js';
import { ThrottledReply } from '../../bot/services/throttled-reply.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('ThrottledReply', () => {
  it('edits at most once every 2 s, shows the latest progress, and sends the final edit after the gap', async () => {
    vi.useFakeTimers();
    const sent: { at: number; text: string }[] = [];
    const start = Date.now();
    const reply = new ThrottledReply<string>(async (text) => void sent.push({ at: Date.now() - start, text }), 2000, 1000);
    reply.progress('queued');
    reply.progress('drawing');
    await vi.advanceTimersByTimeAsync(999);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toEqual([{ at: 1000, text: 'drawing' }]);
    reply.progress('searching');
    reply.progress('still searching');
    await vi.advanceTimersByTimeAsync(2000);
    expect(sent.map((s) => s.text)).toEqual(['drawing', 'still searching']);
    expect(sent[1]?.at).toBe(3000);
    reply.progress('dropped by the final edit');
    const final = reply.final('round 1');
    await vi.advanceTimersByTimeAsync(2000);
    await final;
    expect(sent.slice(2)).toEqual([{ at: 5000, text: 'round 1' }]);
  });

  it('sends only the result when the round is done before the first progress would show', async () => {
    vi.useFakeTimers();
    const sent: string[] = [];
    const reply = new ThrottledReply<string>(async (text) => void sent.push(text));
    reply.progress('searching');
    await reply.final('round 1');
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent).toEqual(['round 1']);
  });
});

describe('RoundTracker', () => {
  it('lets running rounds finish within the grace period, cancels the rest, and refuses new ones', async () => {
    const tracker = new RoundTracker();
    let finish: () => void = () => undefined;
    const quick = tracker.track(() => new Promise<string>((resolve) => (finish = () => resolve('done'))));
    const stuck = tracker.track((signal) => new Promise<string>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error))));
    const drained = tracker.drain(200);
    finish();
    expect(await quick).toBe('done');
    await expect(stuck).rejects.toMatchObject({ name: 'AbortError' });
    expect(await drained).toEqual({ finished: 1, cancelled: 1 });
    await expect(tracker.track(async () => 'late')).rejects.toThrow('restarting');
    expect(tracker.size).toBe(0);
  });
});
