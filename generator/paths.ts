import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's root folder. This module runs from generator/ (tests, tsx) or, compiled, from
 * dist/generator/ (the `b24gen` command): files the generator reads beside its sources are found
 * from here, never relative to the running module.
 */
const here = dirname(fileURLToPath(import.meta.url));
export const PROJECT_DIR = basename(dirname(here)) === 'dist' ? join(here, '..', '..') : join(here, '..');

/** The hand-written runtime, copied into every generated client. */
export const RUNTIME_DIR = join(PROJECT_DIR, 'generator', 'runtime');

/** The hand-written testing kit (`@b24gen/imbot-v2/testing`), copied into every generated client. */
export const TESTING_DIR = join(PROJECT_DIR, 'generator', 'testing');

/** The hand-written Redis stores (`@b24gen/imbot-v2/redis`), copied into every generated client. */
export const REDIS_DIR = join(PROJECT_DIR, 'generator', 'redis');

/** The JSON Schema every spec file is checked against. */
export const SPEC_SCHEMA = join(PROJECT_DIR, 'spec', 'spec.schema.json');
