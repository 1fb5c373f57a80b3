import { methodFacts, systemErrors } from './spec.js';

/**
 * An error answer of the test portal: an HTTP status and a body. Built by `documentedError` for a
 * code the spec documents for the method (the status and the portal's `error_description` come
 * from the spec, so a test cannot answer a code the real portal would not), or by `rawAnswer` for
 * any status and body (fault tests). An `on` handler returns or throws one.
 */
export class PortalAnswer extends Error {
  override name = 'PortalAnswer';
  constructor(
    readonly status: number,
    readonly body: unknown,
    /** The `error` code, when the body is the portal's error shape. */
    readonly code: string | undefined,
  ) {
    super(code ? `${code} (HTTP ${status})` : `HTTP ${status}`);
  }
}

/** The status and message the spec gives `code` for `method` (its own errors first, then the system ones). */
export function errorFacts(method: string, code: string): { status: number; message?: string } | undefined {
  const facts = Object.hasOwn(methodFacts, method) ? methodFacts[method as keyof typeof methodFacts] : undefined;
  if (facts && Object.hasOwn(facts.errors, code)) return facts.errors[code];
  return Object.hasOwn(systemErrors, code) ? systemErrors[code] : undefined;
}

/** Every code `method` may answer, sorted: its own errors and the system errors. */
export function documentedCodes(method: string): string[] {
  const facts = Object.hasOwn(methodFacts, method) ? methodFacts[method as keyof typeof methodFacts] : undefined;
  return [...new Set([...Object.keys(facts?.errors ?? {}), ...Object.keys(systemErrors)])].sort();
}

/**
 * The portal's answer for a documented error: the spec's status and `error_description`
 * (`description` replaces the message, for a code whose message the docs do not give or a test
 * that wants its own). Throws a TypeError, naming the codes that are documented, for any other code.
 */
export function documentedError(method: string, code: string, description?: string): PortalAnswer {
  const facts = errorFacts(method, code);
  if (!facts) {
    throw new TypeError(
      `test portal: ${JSON.stringify(code)} is not a documented error of ${method}; documented: ${documentedCodes(method).join(', ')}. ` +
        'For an answer outside the spec use portal.raw(status, body).',
    );
  }
  const text = description ?? facts.message;
  return new PortalAnswer(facts.status, text === undefined ? { error: code } : { error: code, error_description: text }, code);
}

/** Any status and JSON body (or text, sent as is): for fault tests, outside what the spec documents. */
export function rawAnswer(status: number, body: unknown): PortalAnswer {
  const code = body && typeof body === 'object' && typeof (body as { error?: unknown }).error === 'string' ? (body as { error: string }).error : undefined;
  return new PortalAnswer(status, body, code);
}

/** The answer for a system error (spec/common/errors.yaml), which any method may give. */
export function systemError(code: string): PortalAnswer {
  return documentedError('(any method)', code);
}
