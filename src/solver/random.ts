/**
 * Seeded PRNG: xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
 * ACM TOMS 2021), seeded through splitmix32. 32-bit integer arithmetic only, so every draw is
 * exact and identical on every platform; the whole state is four uint32 words, which a checkpoint
 * stores and `Random.fromState` restores bit for bit.
 */
export class Random {
  private readonly s: Uint32Array;

  constructor(seed: number) {
    this.s = new Uint32Array(4);
    let z = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      // splitmix32 (Steele, Lea & Flood 2014, 32-bit variant) spreads a small seed over the state.
      z = (z + 0x9e3779b9) >>> 0;
      let t = z;
      t = Math.imul(t ^ (t >>> 16), 0x85ebca6b);
      t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35);
      this.s[i] = (t ^ (t >>> 16)) >>> 0;
    }
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
  }

  static fromState(state: ArrayLike<number>): Random {
    if (state.length !== 4) throw new Error(`Random.fromState: expected 4 uint32 words, got ${state.length}`);
    const r = new Random(0);
    for (let i = 0; i < 4; i++) r.s[i] = state[i] >>> 0;
    if ((r.s[0] | r.s[1] | r.s[2] | r.s[3]) === 0) throw new Error('Random.fromState: the all-zero state is invalid');
    return r;
  }

  /** A copy of the four state words (for checkpoints). */
  state(): number[] {
    return Array.from(this.s);
  }

  /** Next uniform uint32. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform double in [0, 1) with 32 random bits: for coin flips and probability tests. */
  nextFast(): number {
    return this.nextUint32() * 2.3283064365386963e-10;
  }

  /** Uniform integer in [0, n), 1 ≤ n ≤ 2^32, without modulo bias (rejection of the top partial block). */
  nextInt(n: number): number {
    if (n <= 1) return 0;
    if (n > 4294967296) throw new Error(`Random.nextInt: n=${n} exceeds 2^32`);
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Fisher–Yates shuffle of `out[0..n)` after filling it with 0..n-1. */
  permutation(out: Int32Array, n: number = out.length): Int32Array {
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return out;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
