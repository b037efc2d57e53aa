/**
 * The seeded random source of this package's random tests: a replayable run takes its seed from
 * DATAPATCH_SEED, a fresh run picks one (and the test prints it). Same seed, same numbers.
 */

/** mulberry32: a small, fast 32-bit generator; numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** DATAPATCH_SEED when given (to replay a failure), else a new random seed. */
export function testSeed(): number {
  return Number(process.env.DATAPATCH_SEED ?? Math.floor(Math.random() * 2 ** 31));
}
