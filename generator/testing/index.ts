// The testing kit, `@b24gen/imbot-v2/testing`: a Bitrix24 portal in a box for a bot's own tests.
// Nothing in the main entry imports it, so the client's bundle does not grow.
export { createTestPortal, TestPortal } from './portal.js';
export type { Fault, HandlerContext, HeldTokenRequest, MethodHandler, OperatingLimit, PortalStats, RateLimit, SeedBot, TestPortalOptions } from './portal.js';
export type { QueuedEvent } from './state.js';
export { PortalAnswer } from './answer.js';
export type { CallLog, CallOutcome, CallVia, MethodName, PortalCall, TestPortalMethods } from './types.js';
export type { EventTarget, RegisteredBot } from './event-target.js';
export { methodFacts, schemaDefs, systemErrors } from './spec.js';
export type { MethodFacts } from './spec.js';
export { check, sample } from './schema.js';
export type { Problem, Schema, SchemaDefs } from './schema.js';
export type { EmitOptions, EmitResult, SayOptions } from './emit-event.js';
export { EventDeliveryError } from './post-webhook.js';
export { phpBuildQuery } from './php-query.js';
