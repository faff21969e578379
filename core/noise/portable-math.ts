/**
 * log and cos/sin built only from IEEE-754 double +, −, ×, ÷ (each correctly rounded, and
 * ECMAScript forbids fusing them), so every engine and a Python or Swift port get the same bits.
 * Math.log / Math.cos / Math.sin are "implementation-approximated" by the spec and do differ
 * between engines in the last bit, which would break bit-identical noise.
 *
 * Accuracy: a few ulp (relative error < 1e-15) on the inputs the noise generator uses; the
 * result is rounded to float32 afterwards anyway. A port must evaluate the same expressions in
 * the same order (Horner form, coefficients as written here, no FMA).
 */

/** fdlibm's split of ln 2: LN2_HI has trailing zero bits so e·LN2_HI is exact for |e| < 2¹¹. */
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const SQRT_HALF = 0.7071067811865476;
/** Series terms of atanh: 1/(2k+1) for k = 1..12. */
const ATANH_TERMS = Array.from({ length: 12 }, (_, k) => 1 / (2 * k + 3));

/**
 * Natural log of x ∈ (0, 1].
 * x = m·2^e with m ∈ [√½, √2) found by exact doubling; then with s = (m−1)/(m+1) (|s| ≤ 0.172),
 * ln m = 2·atanh(s) = 2s·(1 + s²/3 + s⁴/5 + … + s²⁴/25), summed in Horner form from the s²⁴ term
 * down; ln x = e·LN2_HI + (e·LN2_LO + ln m).
 */
export function portableLog(x: number): number {
  if (!(x > 0 && x <= 1)) throw new RangeError(`portableLog: x must be in (0, 1], got ${x}`);
  let m = x;
  let e = 0;
  while (m < SQRT_HALF) {
    m *= 2;
    e -= 1;
  }
  const s = (m - 1) / (m + 1);
  const s2 = s * s;
  let series = 0;
  for (let k = ATANH_TERMS.length - 1; k >= 0; k--) series = (series + (ATANH_TERMS[k] as number)) * s2;
  const lnM = 2 * s + 2 * s * series;
  return e * LN2_HI + (e * LN2_LO + lnM);
}

const HALF_PI = 1.5707963267948966;
/**
 * Taylor coefficients: SIN_TERMS[j] = (−1)^(j+1)/(2j+3)! (a³ … a¹⁹), COS_TERMS[j] = (−1)^(j+1)/(2j+2)!
 * (a² … a¹⁸); n! is exact in a double up to 19!, and each coefficient is one correctly rounded division.
 */
const SIN_TERMS: number[] = [];
const COS_TERMS: number[] = [];
{
  let factorial = 1;
  for (let n = 2; n <= 19; n++) {
    factorial *= n;
    if (n % 2 === 0) COS_TERMS.push(((n / 2) % 2 === 1 ? -1 : 1) / factorial);
    else SIN_TERMS.push((((n - 1) / 2) % 2 === 1 ? -1 : 1) / factorial);
  }
}

/**
 * cos(2πu) and sin(2πu) for u ∈ [0, 1) given as a turn fraction, which keeps the argument
 * reduction exact: q = floor(4u + ½) (exact), f = 4u − q ∈ [−½, ½] (exact for u with ≤ 50
 * significant bits), a = f·(π/2) ∈ [−π/4, π/4] (one rounding), then Taylor series to a¹⁹/a¹⁸ in
 * Horner form, and the quadrant q mod 4 picks ±cos a / ±sin a.
 */
export function portableCosSinTurns(u: number): { cos: number; sin: number } {
  if (!(u >= 0 && u < 1)) throw new RangeError(`portableCosSinTurns: u must be in [0, 1), got ${u}`);
  const q = Math.floor(4 * u + 0.5);
  const a = (4 * u - q) * HALF_PI;
  const a2 = a * a;
  let sinSeries = 0;
  for (let k = SIN_TERMS.length - 1; k >= 0; k--) sinSeries = (sinSeries + (SIN_TERMS[k] as number)) * a2;
  let cosSeries = 0;
  for (let k = COS_TERMS.length - 1; k >= 0; k--) cosSeries = (cosSeries + (COS_TERMS[k] as number)) * a2;
  const sinA = a + a * sinSeries;
  const cosA = 1 + cosSeries;
  switch (q % 4) {
    case 0:
      return { cos: cosA, sin: sinA };
    case 1:
      return { cos: -sinA, sin: cosA };
    case 2:
      return { cos: -cosA, sin: -sinA };
    default:
      return { cos: sinA, sin: -cosA };
  }
}
