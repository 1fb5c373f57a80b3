import type { MethodMap } from '../client.js';

/** Every method of the spec: its params, result and documented error codes (the client's own types). */
export type TestPortalMethods = {
  [M in keyof MethodMap]: {
    params: MethodMap[M]['params'];
    result: MethodMap[M]['result'];
    /** The codes the method may answer: its own and the system errors. */
    code: MethodMap[M]['error']['code'];
  };
};

export type MethodName = keyof TestPortalMethods;

/** How a call reached the portal: on its own, or as one command of a `batch`. */
export type CallVia = 'call' | 'batch';

/** How a call ended. `result`: the portal ran it (a fault may still have cut the answer off). */
export type CallOutcome =
  | { type: 'result'; result: unknown }
  | {
      type: 'error';
      code: string;
      status: number;
      /** Who answered the error: the auth check, the rate limit, the execution budget, the param check, a `fail`/`fault`, the portal's state, or an `on` handler. */
      by: 'auth' | 'rate-limit' | 'operating-limit' | 'validation' | 'scripted' | 'state' | 'handler';
    }
  | { type: 'dropped'; fault: 'reset-before' | 'html' | 'raw' };

/** One call the portal received, in arrival order (batch commands in their order in `cmd`). */
export interface PortalCall<M extends string = string> {
  method: M;
  /** The params as the portal read them: typed by the spec (a batch command's or form body's strings turned back into numbers and booleans). */
  params: M extends MethodName ? TestPortalMethods[M]['params'] : Record<string, unknown>;
  /** The params exactly as they arrived (a batch command's are strings), `auth` left out. */
  raw: Record<string, unknown>;
  via: CallVia;
  /** Which credentials it came with. */
  auth: 'webhook' | 'oauth';
  outcome: CallOutcome;
  /** A fault that cut the answer off after the portal ran the call (`reset-after`, `truncate`). */
  fault?: 'reset-after' | 'truncate';
}

/** `portal.calls`: every call, with a typed filter by method. */
export interface CallLog extends ReadonlyArray<PortalCall> {
  /** The calls of one method, with its params typed. */
  of<M extends MethodName>(method: M): PortalCall<M>[];
  /** The calls the portal ran (outcome `result`), batch envelopes left out. */
  ran(): PortalCall[];
}
