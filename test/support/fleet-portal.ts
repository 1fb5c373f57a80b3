import { FakePortal, type PortalOptions } from './fake-portal.js';

/**
 * The portal a fleet talks to, on top of FakePortal (its bucket, OAuth and token endpoint): it
 * records each executed `Chat.Message.send` with its text and the portal's own clock (lost and
 * duplicated messages, and the throughput, are read from it), and keeps a per-bot event queue
 * for `Event.get`, which deletes every event below the `offset` it is given, as the docs say
 * (imbot.v2/events/event-get.md). The fleet tests use FakePortal only through this helper.
 */
export interface SentMessage {
  text: string;
  /** When the portal ran it (ms since the epoch, the portal's clock). */
  at: number;
}

export class FleetPortal {
  readonly sent: SentMessage[] = [];
  /** Per bot: events still in the queue, in order. */
  private readonly queues = new Map<number, number[]>();
  /** Every event id Event.get deleted because an offset confirmed it. */
  readonly confirmed: number[] = [];

  private constructor(readonly portal: FakePortal) {
    portal.handle('imbot.v2.Chat.Message.send', (params, n) => {
      const fields = params.fields as { message?: unknown } | undefined;
      this.sent.push({ text: String(fields?.message), at: Date.now() });
      return { id: n, uuidMap: [] };
    });
    portal.handle('imbot.v2.Event.get', (params) => this.eventGet(params));
  }

  static async start(options: PortalOptions): Promise<FleetPortal> {
    // Idle connections kept a minute: a fleet holds dozens open, and on a loaded machine a
    // worker paused past undici's margin would reuse one the portal is closing (a socket error
    // that a send, not repeat-safe, cannot retry). Not what these tests are about.
    return new FleetPortal(await FakePortal.start({ keepAliveTimeout: 60_000, ...options }));
  }

  /** Puts events `first`..`first + count - 1` in bot `botId`'s queue. */
  enqueue(botId: number, first: number, count: number): void {
    const queue = this.queues.get(botId) ?? [];
    for (let id = first; id < first + count; id++) queue.push(id);
    this.queues.set(botId, queue);
  }

  queued(botId: number): number[] {
    return [...(this.queues.get(botId) ?? [])];
  }

  close(): Promise<void> {
    return this.portal.close();
  }

  private eventGet(params: Record<string, unknown>): unknown {
    const botId = Number(params.botId);
    const limit = Number(params.limit ?? 100);
    let queue = this.queues.get(botId) ?? [];
    if (params.offset !== undefined) {
      const offset = Number(params.offset);
      this.confirmed.push(...queue.filter((id) => id < offset));
      queue = queue.filter((id) => id >= offset);
      this.queues.set(botId, queue);
    }
    const events = queue.slice(0, limit);
    return {
      events: events.map((eventId) => ({ eventId, type: 'ONIMBOTV2FLEETTEST', date: '2026-01-15T10:30:00+02:00', data: { eventId } })),
      nextOffset: events.length ? events.at(-1)! + 1 : Number(params.offset ?? 0),
      hasMore: queue.length > events.length,
    };
  }
}

/**
 * The most requests the portal's bucket lets through from `first` to `last` (ms, the portal's
 * clock): a full bucket, plus what drains meanwhile. A fleet's throughput is measured against it.
 */
export function portalMaximum(bucket: { limit: number; drainPerSecond: number }, first: number, last: number): number {
  return bucket.limit + (bucket.drainPerSecond * (last - first)) / 1000;
}
