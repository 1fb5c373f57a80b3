/**
 * Timeouts kept by Node's own HTTP client instead of an abort signal. `createClient` always has
 * this plugin; it stands aside unless the transport calls Node's global fetch.
 *
 * Why: an abort signal per call costs Node's fetch (undici) about 10 µs of bookkeeping on every
 * request (a weak reference, a finalization-registry entry and an abort listener: 3.5 to 4% of
 * a loopback call on Node 20, more than the rest of the client), while undici's own header and
 * body timeouts cost nothing. So an attempt with a timeout of {@link MIN_TIMEOUT} ms or more is
 * sent with a `dispatcher` (fetch's documented option in Node) that sets `headersTimeout` and
 * `bodyTimeout` on the request and hands it to the global dispatcher, the one fetch would have
 * used: an agent set with `setGlobalDispatcher` (a proxy) stays in the path.
 *
 * What differs from the core's deadline: the portal's headers must come within the timeout of
 * the request being written, and the body may not stall for longer; undici checks about once a
 * second (hence only for long timeouts), and connecting has undici's own limit (10 s). Either
 * way the attempt fails with a Bitrix24TimeoutError and its socket is closed.
 */
import { describeNetworkFailure, type TimeoutDispatcher, type TransportPlugin } from './core.js';

/** Shorter timeouts keep the core's abort signal: undici's checks are a second apart. */
export const MIN_TIMEOUT = 10_000;

/** Where undici (6 and 7, in Node 20 to 24) keeps the global dispatcher its fetch uses. */
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');

/** The part of undici's Dispatcher interface used here. */
type Dispatcher = Pick<TimeoutDispatcher, 'dispatch'>;

/** undici's codes for the header and body timeouts, among the causes of fetch's error. */
const UNDICI_TIMEOUT = /\bUND_ERR_(HEADERS|BODY)_TIMEOUT\b/;

/**
 * The plugin. It takes the timeouts over only when the transport's fetch is the global fetch of
 * a Node whose undici is a major version known to read the dispatcher above (6 or 7). It gives
 * them back for good when a response arrives after a dispatcher was handed out but before any
 * was ever asked to dispatch: the global fetch was replaced by one that ignores `dispatcher`.
 * (At worst, a first burst mixing short and long timeouts gives them back too early: the
 * timeouts still hold, through the core's signal.)
 */
export function undiciTimeouts(): TransportPlugin {
  let enabled = false;
  let handedOut = false;
  let dispatched = false;
  let last: { ms: number; dispatcher: TimeoutDispatcher } | undefined;

  function withTimeouts(ms: number): TimeoutDispatcher {
    const timeout = Math.ceil(ms);
    return {
      timedOut: (error) => UNDICI_TIMEOUT.test(describeNetworkFailure(error)),
      dispatch(options, handler) {
        dispatched = true;
        // undici's fetch builds these options afresh for each request: setting them is safe.
        options.headersTimeout = timeout;
        options.bodyTimeout = timeout;
        return (globalThis as unknown as Record<symbol, Dispatcher>)[GLOBAL_DISPATCHER].dispatch(options, handler);
      },
    };
  }

  return {
    setup(context) {
      const undici = (globalThis as { process?: { versions?: { undici?: string } } }).process?.versions?.undici;
      enabled = context.fetch === globalThis.fetch && /^[67]\./.test(undici ?? '');
    },
    dispatcherFor(ms) {
      if (!enabled || ms < MIN_TIMEOUT || ms === Infinity) return undefined;
      if (last?.ms !== ms) last = { ms, dispatcher: withTimeouts(ms) };
      handedOut = true;
      return last.dispatcher;
    },
    onBody() {
      if (handedOut && !dispatched) enabled = false;
    },
  };
}
