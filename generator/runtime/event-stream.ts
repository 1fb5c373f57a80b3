/**
 * Fetch mode's event loop: an async iterator over `Event.get` pages (imbot.v2/events/event-get.md).
 * It is the only reader of the portal's event queue, so it guards what the queue relies on:
 * an `offset` confirms (deletes) every event below it, so it is only sent once the events below
 * it were handed over and handled, and only built from ids checked to be integers in order.
 * Outages do not end it (it waits, longer each time, and reports each failure); it never polls
 * faster than the docs' polling guidance (imbot.v2/events/index.md, chat-bots-v2/index.md
 * "Polling Cycle").
 */
import { Bitrix24Error, Bitrix24NetworkError, Bitrix24ResponseError, Bitrix24TimeoutError } from './errors.js';
import { HeldLease, type LeaseChange } from './event-lease.js';
import { createStoreGuard, type EventCursor, type StoreGuard } from './stores.js';

/** The shortest pause between two polls: the docs' minimum after a page with `hasMore: true`. */
export const MIN_POLL_PAUSE_MS = 2_000;
/** The shortest wait after a poll that left nothing more to read: the docs recommend 5-30 s. */
export const MIN_IDLE_DELAY_MS = 5_000;
/** The default wait after a poll that left nothing more to read (the docs' example: 10 s). */
export const DEFAULT_IDLE_DELAY_MS = 10_000;
/** The default longest wait after failed polls (the docs' example waits at most 60 s). */
export const DEFAULT_MAX_RETRY_DELAY_MS = 60_000;

/** Codes with which the portal refuses a poll for now, not for good: wait and poll again. */
const TRANSIENT_CODES = new Set(['QUERY_LIMIT_EXCEEDED', 'OVERLOAD_LIMIT', 'OPERATION_TIME_LIMIT', 'INTERNAL_SERVER_ERROR']);
const METHOD = 'imbot.v2.Event.get';

/** What `onError` is told about a failed poll. */
export interface PollFailure {
  /** Failed polls in a row, this one included. */
  failures: number;
  /** Milliseconds until the next poll. */
  retryIn: number;
}

export interface EventStreamOptions {
  /** Stops the iteration (the pending poll or wait ends at once; nothing is lost). */
  signal?: AbortSignal;
  /** Where to resume: an offset you stored from `stream.offset` (events below it are confirmed). */
  startOffset?: number;
  /** Events per page (1-1000, default 100). */
  limit?: number;
  /**
   * Milliseconds to wait after a poll that left nothing more to read (`hasMore: false`): default
   * 10000, at least 5000 (the docs recommend 5-30 s; a smaller value is raised to 5000). After a
   * page with `hasMore: true` the next poll waits 2 s, the docs' minimum pause. The time your
   * loop spends on the page's events counts toward the wait.
   */
  idleDelay?: number;
  /**
   * Also deliver `ONIMV2*` events (imbot.v2.Event.get `withUserEvents`): those of the user the
   * client is authorised as, which needs the `im` scope and an im.v2.Event.subscribe subscription.
   */
  withUserEvents?: boolean;
  /**
   * Called for each poll that failed for now (no answer, a timeout, a 5xx or a body that is not
   * the portal's, `QUERY_LIMIT_EXCEEDED`, `OVERLOAD_LIMIT`, `OPERATION_TIME_LIMIT`): the stream
   * waits `retryIn` ms (2 s, doubling up to `maxRetryDelay`) and polls again, until `signal`
   * aborts. Throw from it (or, from an async onError, reject) to end the stream with that
   * error instead; a returned promise is awaited before the wait starts. Other errors (auth, a wrong
   * bot, a page that breaks the docs' rules) end the stream: the `for await` throws them.
   */
  onError?: (error: Bitrix24Error, failure: PollFailure) => void | Promise<void>;
  /** The longest wait between failed polls, in ms (default 60000, at least 2000). */
  maxRetryDelay?: number;
  /**
   * Where this bot's consumer and offset live when several processes run it
   * (`RedisEventCursor` from `@b24gen/imbot-v2/redis`, the same in every process). The stream
   * takes the bot's lease before polling (a standby waits, trying every third of the lease's
   * TTL, and takes over when the consumer stops or dies), resumes from the stored offset
   * (`startOffset` when none is stored), renews the lease while it runs, stores the offset
   * after your loop body for each event returns, and gives the lease up when it stops. It
   * hands out an event only while the lease is verifiably its own: when the lease is lost
   * (this process stalled longer than the TTL and another took over) it stops at once, without
   * confirming, and stands by again. A store failure ends the stream with a Bitrix24StoreError,
   * or with `onStoreError: 'local'` uses an in-process lease for the outage. After such an
   * error, start the loop again with the same cursor instance: it takes back the lease the
   * failed stream could not release and restores the offset this process knows if Redis lost it.
   */
  cursor?: EventCursor;
  /** Told when the stream takes the cursor's lease, loses it, or gives it up (with `cursor`). */
  onLease?: (change: LeaseChange) => void;
}

/** Where the stream's cursor keeps this bot (its key) and how the store is called (the client's settings). */
export interface EventCursorBinding {
  /** The bot's key in the cursor: the portal's origin and the bot id, never a token. */
  key: string;
  guard?: StoreGuard;
}

/** An async iterable of events that also tells where to resume after a restart. */
export interface EventStream<E> extends AsyncIterable<E> {
  /**
   * The offset to store after handling the events yielded so far: restarting with it as
   * `startOffset` neither repeats them nor skips any later one. Undefined before the first event.
   */
  readonly offset: number | undefined;
}

/** One item of `Event.get`'s `events`. */
export interface EventPageItem {
  eventId: number;
  type: string;
  date: string;
  data: unknown;
}

/** One page of `Event.get`. */
export interface EventPage {
  events: EventPageItem[];
  nextOffset: number;
  hasMore: boolean;
}

/**
 * Polls `fetchPage` (Event.get), yielding events in order. The offset that confirms an event is
 * sent only after the consumer asked for the next one (its `for await` body for the event
 * returned); a body that throws or breaks ends the stream without confirming that event.
 */
export function eventStreamWith<E>(
  fetchPage: (offset: number | undefined, limit: number, signal: AbortSignal | undefined) => Promise<EventPage>,
  wrap: (item: EventPageItem) => E,
  options: EventStreamOptions = {},
  binding?: EventCursorBinding,
): EventStream<E> {
  const limit = options.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new TypeError(`events: limit must be an integer from 1 to 1000 (Event.get's range), got ${String(limit)}`);
  const start = options.startOffset;
  if (start !== undefined && !(Number.isSafeInteger(start) && start >= 0)) {
    throw new TypeError(`events: startOffset must be a non-negative integer (an offset stored from stream.offset) or undefined, got ${typeof start === 'number' ? start : typeof start}`);
  }
  const cursor = options.cursor;
  if (cursor !== undefined && (typeof cursor !== 'object' || typeof cursor.acquire !== 'function' || !(cursor.leaseTtlMs > 0))) {
    throw new TypeError('events: cursor must be an EventCursor (acquire() and leaseTtlMs), such as RedisEventCursor from @b24gen/imbot-v2/redis');
  }
  const idle = clamp(options.idleDelay, DEFAULT_IDLE_DELAY_MS, MIN_IDLE_DELAY_MS);
  const maxRetryDelay = clamp(options.maxRetryDelay, DEFAULT_MAX_RETRY_DELAY_MS, MIN_POLL_PAUSE_MS);
  const signal = options.signal;
  /** What the consumer may store: past every event handed over. */
  let delivered = start;
  /** What the next poll sends: past every event whose handling finished. */
  let confirmed = start;

  /** Polls and hands out events until `stop` aborts (the user's signal, or the lease lost) or an error ends it. */
  async function* poll(stop: AbortSignal | undefined, lease: HeldLease | undefined): AsyncGenerator<E> {
    let failures = 0;
    let nextPollAt = 0;
    // Events per poll now: halved while a page is over the client's maxResponseBytes (long
    // messages), so the stream shrinks its pages instead of asking for the same page forever;
    // it grows back, doubling, after each page that fits.
    let pageLimit = limit;
    for (;;) {
      if (!(await waitUntil(nextPollAt, stop))) return;
      let raw: unknown;
      try {
        raw = await fetchPage(confirmed, pageLimit, stop);
      } catch (err) {
        if (stop?.aborted) return;
        if (!(err instanceof Bitrix24Error) || !transient(err)) throw err;
        failures++;
        const smaller = err.code === 'RESPONSE_TOO_LARGE' && pageLimit > 1;
        if (smaller) pageLimit = Math.max(1, Math.floor(pageLimit / 2));
        const retryIn = smaller ? MIN_POLL_PAUSE_MS : Math.min(maxRetryDelay, MIN_POLL_PAUSE_MS * 2 ** Math.min(failures - 1, 20));
        // Awaited: an async onError that rejects ends the stream like one that throws (left
        // alone, its rejection would be unhandled, which ends the whole process).
        await options.onError?.(err, { failures, retryIn });
        nextPollAt = Date.now() + retryIn;
        continue;
      }
      failures = 0;
      pageLimit = Math.min(limit, pageLimit * 2);
      const receivedAt = Date.now();
      const page = checkPage(raw, confirmed);
      // The page may have taken long: hand out nothing of it unless the lease is still ours.
      if (lease && page.events.length > 0 && !(await lease.confirm())) return;
      for (const item of page.events) {
        if (confirmed !== undefined && item.eventId < confirmed) continue; // confirmed earlier: handled
        if (stop?.aborted) return;
        delivered = item.eventId + 1;
        yield wrap(item);
        // The consumer asked for more: this event is handled, the next poll may confirm it, and
        // the cursor stores it (no further event is handed out unless that store succeeded).
        confirmed = delivered;
        if (lease && !(await lease.commit(confirmed))) return;
      }
      if (page.events.length > 0) {
        confirmed = delivered = Math.max(confirmed ?? 0, page.nextOffset);
        if (lease && !(await lease.commit(confirmed))) return;
      }
      nextPollAt = receivedAt + (page.hasMore ? MIN_POLL_PAUSE_MS : idle);
    }
  }

  /** With a cursor: stand by for the lease, consume while it is ours, stand by again when it is lost. */
  async function* consume(cursor: EventCursor): AsyncGenerator<E> {
    const key = binding?.key ?? 'events';
    const guard = binding?.guard ?? createStoreGuard({}, () => {});
    for (;;) {
      const lease = await HeldLease.acquire(cursor, key, guard, signal);
      if (!lease) return;
      confirmed = delivered = lease.offset ?? start;
      options.onLease?.({ state: 'acquired', offset: confirmed, local: lease.isLocal });
      const stop = anyAborted(signal, lease.stopped);
      try {
        yield* poll(stop.signal, lease);
        lease.throwIfFailed();
      } finally {
        stop.dispose();
        const lost = lease.lost;
        if (!lost) await lease.release();
        options.onLease?.({ state: lost ? 'lost' : 'released', offset: confirmed, local: lease.isLocal });
      }
      if (signal?.aborted) return;
    }
  }

  const iterable = cursor ? consume(cursor) : poll(signal, undefined);
  return {
    get offset() {
      return delivered;
    },
    [Symbol.asyncIterator]: () => iterable,
  };
}

/** A signal that aborts when either does (AbortSignal.any is not in every Node 20), and its cleanup. */
function anyAborted(a: AbortSignal | undefined, b: AbortSignal): { signal: AbortSignal; dispose(): void } {
  if (!a) return { signal: b, dispose() {} };
  const both = new AbortController();
  const onAbort = () => both.abort();
  if (a.aborted || b.aborted) both.abort();
  a.addEventListener('abort', onAbort, { once: true });
  b.addEventListener('abort', onAbort, { once: true });
  return {
    signal: both.signal,
    dispose() {
      a.removeEventListener('abort', onAbort);
      b.removeEventListener('abort', onAbort);
    },
  };
}

/** A failure that may pass: no answer, a broken body, a 5xx, or a limit the portal lifts by itself. */
function transient(err: Bitrix24Error): boolean {
  if (err instanceof Bitrix24NetworkError || err instanceof Bitrix24TimeoutError || err instanceof Bitrix24ResponseError) return true;
  return TRANSIENT_CODES.has(err.code) || (err.status !== undefined && err.status >= 500);
}

/**
 * The page as the docs define it, or a Bitrix24ResponseError naming what is wrong: `events` an
 * array of objects whose `eventId`s are integers in ascending order and `type`s strings,
 * `hasMore` a boolean, and, when there are events, `nextOffset` an integer above every id (it
 * confirms what is below it). Nothing of a page that fails is handed over or confirmed.
 */
function checkPage(raw: unknown, confirmed: number | undefined): EventPage {
  const resume = `; the stream stopped without confirming any event of this page (resume from offset ${confirmed ?? 'none'})`;
  const bad = (what: string) =>
    new Bitrix24ResponseError({
      code: 'INVALID_RESPONSE',
      description: `${what}${resume}`,
      method: METHOD,
    });
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw bad(`the page is ${describe(raw)}, expected an object`);
  const page = raw as Record<string, unknown>;
  if (!Array.isArray(page.events)) throw bad(`\`events\` is ${describe(page.events)}, expected an array`);
  let previous = -1;
  page.events.forEach((item: unknown, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw bad(`events[${i}] is ${describe(item)}, expected an object`);
    const { eventId, type } = item as Record<string, unknown>;
    if (typeof eventId !== 'number' || !Number.isSafeInteger(eventId) || eventId < 0) throw bad(`events[${i}].eventId is ${describe(eventId)}, expected a non-negative integer`);
    if (eventId <= previous) throw bad(`events[${i}].eventId ${eventId} does not follow ${previous}: the ids are not in ascending order`);
    if (typeof type !== 'string') throw bad(`events[${i}].type is ${describe(type)}, expected a string`);
    previous = eventId;
  });
  if (typeof page.hasMore !== 'boolean') throw bad(`\`hasMore\` is ${describe(page.hasMore)}, expected a boolean`);
  if (page.events.length > 0) {
    const next = page.nextOffset;
    if (typeof next !== 'number' || !Number.isSafeInteger(next)) throw bad(`\`nextOffset\` is ${describe(next)}, expected an integer`);
    if (next <= previous) throw bad(`\`nextOffset\` ${next} is not above the page's last eventId ${previous}`);
  }
  return page as unknown as EventPage;
}

/** A short, safe description of a value from the network (its type, and a number or a short string). */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}...` : value)}`;
  return typeof value === 'undefined' ? 'missing' : `a ${typeof value}`;
}

/** An option in ms: the default when not a number, never below `min`, never above what a timer holds (2^31 - 1). */
function clamp(value: number | undefined, fallback: number, min: number): number {
  const ms = typeof value === 'number' && !Number.isNaN(value) ? value : fallback;
  return Math.min(2 ** 31 - 1, Math.max(min, ms));
}

/** Waits until the time `at` (ms since the epoch; now or past: no wait); false when the signal aborted first. */
function waitUntil(at: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  const ms = at - Date.now();
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
