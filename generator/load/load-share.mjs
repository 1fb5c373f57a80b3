// A print worker's share of loading the spec (the main thread's side: shared-load.ts): takes the
// next file from the shared counter until none is left, and answers each with its load-cache
// entry (or null: the main thread loads that file again and reports its problems). Plain
// JavaScript, like the rest of the worker; the parsing itself is the generator's own code, from
// its bundle.
import { mark } from '../timeline.mjs';

/** @param {import('./shared-load.ts').LoadShareMessage} message */
export async function takeLoadShare({ files, counters: buffer, port, bundle }) {
  const counters = new Int32Array(buffer);
  let taken = 0;
  try {
    // Nothing left (the main thread was quicker): do not even load the bundle.
    if (Atomics.load(counters, 0) >= files.length) return;
    const { specFileEntry } = await import(bundle);
    for (let i = Atomics.add(counters, 0, 1); i < files.length; i = Atomics.add(counters, 0, 1)) {
      let entry = null;
      try {
        entry = specFileEntry(files[i].file, files[i].text) ?? null;
      } catch {
        // the main thread loads it and says what is wrong
      }
      // Answer before counting it: the main thread reads the answers once the count is reached.
      port.postMessage({ i, entry });
      Atomics.add(counters, 1, 1);
      Atomics.notify(counters, 1);
      taken++;
    }
  } catch {
    // the bundle did not load: the main thread loads every file this worker did not take
  } finally {
    mark(`parsed and checked ${taken} spec file${taken === 1 ? '' : 's'}`);
    port.close();
  }
}
