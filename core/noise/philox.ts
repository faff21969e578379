/**
 * Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11), the
 * counter-based generator of Random123, cuRAND and JAX: output block = bijection(counter, key),
 * so any element of a stream can be computed without computing the ones before it.
 *
 * One round, on counter (c0, c1, c2, c3) and key (k0, k1), all uint32:
 *   (hi0, lo0) = 0xD2511F53 × c0   (64-bit product split into high and low 32 bits)
 *   (hi1, lo1) = 0xCD9E8D57 × c2
 *   counter ← (hi1 ⊕ c1 ⊕ k0, lo1, hi0 ⊕ c3 ⊕ k1, lo0)
 * Ten rounds; between rounds the key is bumped: k0 += 0x9E3779B9, k1 += 0xBB67AE85 (mod 2³²).
 * Known answer (Random123 kat_vectors): counter 0,0,0,0 key 0,0 → 6627e8d5 e169c58d bc57ac4c 9b00dbd8.
 *
 * Only 32-bit integer operations (Math.imul, >>>, ^, &) and sums of 16-bit products (exact in a
 * double, all < 2⁵³) are used, so every JavaScript engine produces the same bits.
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product a·b of two uint32 values, from 16-bit halves. */
export function mulHi32(a: number, b: number): number {
  const aLo = a & 0xffff;
  const aHi = a >>> 16;
  const bLo = b & 0xffff;
  const bHi = b >>> 16;
  const lohi = aLo * bHi;
  const hilo = aHi * bLo;
  const carry = (((aLo * bLo) >>> 16) + (lohi & 0xffff) + (hilo & 0xffff)) >>> 16;
  return (aHi * bHi + (lohi >>> 16) + (hilo >>> 16) + carry) >>> 0;
}

/**
 * Philox4x32-10 of one counter under one key, written into `out[0..3]` (uint32 values).
 * Arguments are uint32; `out` lets the caller reuse one buffer for a whole stream.
 */
export function philox4x32x10(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: Uint32Array): void {
  let x0 = c0 >>> 0;
  let x1 = c1 >>> 0;
  let x2 = c2 >>> 0;
  let x3 = c3 >>> 0;
  let key0 = k0 >>> 0;
  let key1 = k1 >>> 0;
  for (let round = 0; round < 10; round++) {
    if (round > 0) {
      key0 = (key0 + W0) >>> 0;
      key1 = (key1 + W1) >>> 0;
    }
    const hi0 = mulHi32(M0, x0);
    const lo0 = Math.imul(M0, x0) >>> 0;
    const hi1 = mulHi32(M1, x2);
    const lo1 = Math.imul(M1, x2) >>> 0;
    x0 = (hi1 ^ x1 ^ key0) >>> 0;
    x1 = lo1;
    x2 = (hi0 ^ x3 ^ key1) >>> 0;
    x3 = lo0;
  }
  out[0] = x0;
  out[1] = x1;
  out[2] = x2;
  out[3] = x3;
}
