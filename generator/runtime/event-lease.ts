/**
 * The event stream's side of an EventCursor (stores.ts): waiting as a standby until the bot's
 * lease is free, keeping it renewed while the stream runs, storing the offset, and telling the
 * stream the moment the lease is lost, so that it stops handing out events: two consumers of
 * one bot would confirm each other's undelivered events away (`Event.get` with an offset
 * deletes every event below it).
 *
 * With `onStoreError: 'local'`, a cursor that fails is replaced by one in-process cursor for the
 * outage (one consumer per bot within this process only); the stream goes back to the shared
 * cursor at the first renewal that reaches it again, or stops if another consumer took it.
 */
import type { Bitrix24StoreError } from './errors.js';
import { processWide } from './one-state.js';
import { MemoryEventCursor, type EventCursor, type EventLease, type StoreGuard } from './stores.js';

/** What `onLease` is told. */
export interface LeaseChange {
  /** `acquired`: this stream is the bot's consumer now; `lost`: another took over (the stream stops handing out events and stands by); `released`: the stream stopped and gave the lease up. */
  state: 'acquired' | 'lost' | 'released';
  /** The offset the stream resumes from (acquired) or had reached. */
  offset: number | undefined;
  /** True while the lease is the in-process one (`onStoreError: 'local'`, the shared cursor failing). */
  local: boolean;
}

function localCursor(ttl: number): EventCursor {
  return processWide(`@b24gen/imbot-v2:localEventCursor:v1:${ttl}`, () => new MemoryEventCursor(ttl), (found) => typeof (found as EventCursor).acquire === 'function');
}

/** One held lease: renewed in the background; `stopped` aborts when it is lost or its store failed. */
export class HeldLease {
  private readonly stop = new AbortController();
  private failure: Bitrix24StoreError | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private busy = false;
  private released = false;
  /** Refusals in a row of the shared cursor while on the in-process lease. */
  private refusals = 0;

  private constructor(
    private lease: EventLease,
    private local: boolean,
    private readonly cursor: EventCursor,
    private readonly key: string,
    private readonly guard: StoreGuard,
    private committed: number | undefined,
    private readonly every: number,
  ) {}

  /**
   * Waits until this consumer holds `key`'s lease (a standby tries again every third of the
   * TTL); undefined when `signal` aborts first. A store failure is thrown ('throw') or waits on
   * the in-process cursor ('local').
   */
  static async acquire(cursor: EventCursor, key: string, guard: StoreGuard, signal: AbortSignal | undefined): Promise<HeldLease | undefined> {
    const every = Math.max(10, Math.floor(cursor.leaseTtlMs / 3));
    for (;;) {
      if (signal?.aborted) return undefined;
      let lease: EventLease | undefined;
      let local = false;
      try {
        lease = await guard.run(cursor, 'acquire', (o) => cursor.acquire(key, o), undefined, { signal });
      } catch (err) {
        if (signal?.aborted) return undefined;
        const error = guard.error(cursor, 'acquire', err);
        if (!guard.fallingBack(error)) throw error;
        lease = await localCursor(cursor.leaseTtlMs).acquire(key, { signal: new AbortController().signal, requestTimeout: guard.timeout });
        local = true;
      }
      if (lease) {
        const held = new HeldLease(lease, local, cursor, key, guard, lease.offset, every);
        held.timer = setInterval(() => void held.renew(), every);
        (held.timer as { unref?: () => void }).unref?.();
        return held;
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const t = setTimeout(done, every);
        signal?.addEventListener('abort', done, { once: true });
      });
    }
  }

  /** The offset stored when the lease was taken. */
  get offset(): number | undefined {
    return this.lease.offset;
  }

  get isLocal(): boolean {
    return this.local;
  }

  /** Aborts when the lease is lost or its store failed ('throw'): stop polling and handing out events. */
  get stopped(): AbortSignal {
    return this.stop.signal;
  }

  /** True once the lease was lost to another consumer (not given up, not failed). */
  get lost(): boolean {
    return this.stop.signal.aborted && !this.released && this.failure === undefined;
  }

  /** Throws the store failure that stopped the lease ('throw'), if any. */
  throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  /** Renews now: false when the lease is no longer ours (the stream must stop handing out events). */
  async confirm(): Promise<boolean> {
    await this.renew();
    this.throwIfFailed();
    return !this.stop.signal.aborted;
  }

  /** Stores `offset` while the lease is ours: false (nothing stored) when it is not. */
  async commit(offset: number): Promise<boolean> {
    if (this.stop.signal.aborted) {
      // Stopped by a store failure while the loop body ran: the body returned, so the offset is
      // handled; the cursor keeps it for this process's next acquire.
      if (this.failure && !this.local) this.lease.abandon?.(offset);
      return false;
    }
    if (offset === this.committed) return true;
    let ours: boolean;
    try {
      ours = this.local ? await this.lease.commit(offset, this.callOptions()) : await this.guard.run(this.cursor, 'commit', (o) => this.lease.commit(offset, o));
    } catch (err) {
      this.onFailure(this.guard.error(this.cursor, 'commit', err));
      this.throwIfFailed();
      return !this.stop.signal.aborted; // 'local': the offset stays in this process for the outage
    }
    if (ours) this.committed = offset;
    else this.lose();
    return ours;
  }

  /** Stops renewing and gives the lease up (when still ours). */
  async release(): Promise<void> {
    clearInterval(this.timer);
    if (this.stop.signal.aborted) return;
    this.released = true;
    this.stop.abort();
    await (this.local ? this.lease.release(this.callOptions()) : this.guard.run(this.cursor, 'release', (o) => this.lease.release(o))).then(undefined, () => {});
  }

  private async renew(): Promise<void> {
    if (this.busy || this.stop.signal.aborted) return;
    this.busy = true;
    try {
      if (this.local) await this.backToShared();
      else if (!(await this.guard.run(this.cursor, 'renew', (o) => this.lease.renew(o)))) this.lose();
    } catch (err) {
      this.onFailure(this.guard.error(this.cursor, 'renew', err));
    } finally {
      this.busy = false;
    }
  }

  /** On the in-process lease: takes the shared one again when the store answers (moving the offset there), or stops when another consumer holds it. */
  private async backToShared(): Promise<void> {
    let shared: EventLease | undefined;
    try {
      shared = await this.guard.run(this.cursor, 'acquire', (o) => this.cursor.acquire(this.key, o));
    } catch {
      await this.lease.renew(this.callOptions()); // still failing: stay on the local lease
      return;
    }
    if (!shared) {
      // Held by someone: another consumer that took it during the outage, or this stream's own
      // acquire that timed out and landed late (given back as soon as its answer arrives). Only
      // a holder that keeps it for a whole TTL is another consumer: then this stream stops.
      if (++this.refusals * this.every > this.cursor.leaseTtlMs) this.lose();
      return;
    }
    const local = this.lease;
    this.lease = shared;
    this.local = false;
    await local.release(this.callOptions());
    if (this.committed !== undefined) {
      const offset = this.committed;
      this.committed = undefined;
      await this.commit(offset);
    }
  }

  private onFailure(error: Bitrix24StoreError): void {
    if (this.guard.fallingBack(error)) return;
    this.failure = error;
    // The stream stops here for good: the cursor may hand the unreleased lease to this process's next acquire.
    if (!this.local) this.lease.abandon?.();
    clearInterval(this.timer);
    this.stop.abort();
  }

  private lose(): void {
    clearInterval(this.timer);
    this.stop.abort();
  }

  private callOptions() {
    return { signal: new AbortController().signal, requestTimeout: this.guard.timeout };
  }
}
