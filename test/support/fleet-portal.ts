import { createTestPortal, type TestPortal } from '../../generated/src/testing/index.js';

/**
 * The portal a fleet talks to: the testing kit's portal (its bucket, OAuth and token server, the
 * bots' Event.get queues), plus what the fleet tests read of it: each `Chat.Message.send` the
 * portal ran, with its text and the portal's own clock (lost and duplicated messages, and the
 * throughput, are read from it), and every event an `offset` confirmed (and so deleted:
 * imbot.v2/events/event-get.md).
 */
export interface SentMessage {
  text: string;
  /** When the portal ran it (ms since the epoch, the portal's clock). */
  at: number;
}

/** The bot every fleet process speaks as (webhook calls must send its token). */
export const FLEET_BOT = { botId: 7, botToken: 'fleet-bot-token-0001' } as const;

export interface FleetPortalOptions {
  /** The portal's leaky bucket; none when left out. */
  bucket?: { limit: number; drainPerSecond: number };
  oauth?: { accessToken: string; refreshToken: string; clientId: string; clientSecret: string; ttlMs: number };
}

export class FleetPortal {
  readonly sent: SentMessage[] = [];
  /** Every event id Event.get deleted because an offset confirmed it. */
  readonly confirmed: number[] = [];

  private constructor(readonly portal: TestPortal) {
    portal.on('imbot.v2.Chat.Message.send', (params, ctx) => {
      const answer = ctx.next();
      this.sent.push({ text: String(params.fields?.message), at: Date.now() });
      return answer;
    });
    portal.on('imbot.v2.Event.get', (params, ctx) => {
      const before = portal.queued(params.botId).map((e) => e.eventId);
      const answer = ctx.next();
      const kept = new Set(portal.queued(params.botId).map((e) => e.eventId));
      this.confirmed.push(...before.filter((id) => !kept.has(id)));
      return answer;
    });
  }

  static async start(options: FleetPortalOptions): Promise<FleetPortal> {
    const portal = await createTestPortal({
      rateLimit: options.bucket ?? false,
      ...(options.oauth && { oauth: options.oauth }),
      bots: [{ id: FLEET_BOT.botId, code: 'fleet', botToken: FLEET_BOT.botToken, eventMode: 'fetch' }],
      // Idle connections kept a minute: a fleet holds dozens open, and on a loaded machine a
      // worker paused past undici's margin would reuse one the portal is closing (a socket error
      // that a send, not repeat-safe, cannot retry). Not what these tests are about.
      keepAliveTimeout: 60_000,
    });
    return new FleetPortal(portal);
  }

  /** Puts `count` events in the fleet bot's queue; the portal numbers them (from 1 on a new portal). Returns their ids. */
  enqueue(count: number): number[] {
    return Array.from({ length: count }, (_, n) => this.portal.enqueue(FLEET_BOT.botId, 'ONIMBOTV2FLEETTEST', { n }));
  }

  close(): Promise<void> {
    return this.portal.close();
  }
}

/**
 * The most requests the portal's bucket lets through from `first` to `last` (ms, the portal's
 * clock): a full bucket, plus what drains meanwhile. A fleet's throughput is measured against it.
 */
export function portalMaximum(bucket: { limit: number; drainPerSecond: number }, first: number, last: number): number {
  return bucket.limit + (bucket.drainPerSecond * (last - first)) / 1000;
}
