//! ggml's block quantization formats, bit for bit as whisper.cpp's `quantize` tool writes them
//! (ggml's `quantize_row_q8_0_ref` and `quantize_row_q5_1_ref`, which it uses without an
//! importance matrix), and their inverses.
//!
//! Both formats cut each row into blocks of [`BLOCK_LEN`] values:
//! - **Q8_0** (34 bytes): f16 scale `d` = max |x| / 127, then 32 × i8 `round(x / d)`.
//!   Dequantized `q · d`; error at most `d / 2` plus the f16 rounding of `d`.
//! - **Q5_1** (24 bytes): f16 `d` = (max − min) / 31, f16 `m` = min, u32 of fifth bits, 16 bytes
//!   of low nibbles (value j in the low nibble of byte j, value j + 16 in its high nibble; their
//!   fifth bits at bit j and bit j + 16). Dequantized `q · d + m`.
//!
//! All numbers are little-endian. Arithmetic is f32, as in ggml, so output is deterministic.

use half::f16;

/// Values per block, in both formats.
pub const BLOCK_LEN: usize = 32;
/// Bytes per Q8_0 block: f16 scale + 32 × i8.
pub const Q8_0_BLOCK_BYTES: usize = 2 + BLOCK_LEN;
/// Bytes per Q5_1 block: f16 scale + f16 minimum + u32 fifth bits + 16 nibble bytes.
pub const Q5_1_BLOCK_BYTES: usize = 2 + 2 + 4 + BLOCK_LEN / 2;

/// Appends the Q8_0 blocks of `values` to `out`. `values.len()` must be a multiple of
/// [`BLOCK_LEN`] (whisper.cpp's rows always are); a partial tail block is an error upstream.
pub fn quantize_q8_0(values: &[f32], out: &mut Vec<u8>) {
    debug_assert!(values.len().is_multiple_of(BLOCK_LEN));
    out.reserve(values.len() / BLOCK_LEN * Q8_0_BLOCK_BYTES);
    for block in values.chunks_exact(BLOCK_LEN) {
        let amax = block
            .iter()
            .fold(0f32, |m, v| if v.abs() > m { v.abs() } else { m });
        let d = amax / 127.0;
        let id = if d == 0.0 { 0.0 } else { 1.0 / d };
        out.extend_from_slice(&f16::from_f32(d).to_le_bytes());
        // C `roundf` rounds half away from zero, like `f32::round`; the result fits an i8.
        out.extend(block.iter().map(|&v| (v * id).round() as i8 as u8));
    }
}

/// The values of Q8_0 blocks.
pub fn dequantize_q8_0(bytes: &[u8]) -> Vec<f32> {
    let mut out = Vec::with_capacity(bytes.len() / Q8_0_BLOCK_BYTES * BLOCK_LEN);
    for block in bytes.chunks_exact(Q8_0_BLOCK_BYTES) {
        let d = f16::from_le_bytes([block[0], block[1]]).to_f32();
        out.extend(block[2..].iter().map(|&q| f32::from(q as i8) * d));
    }
    out
}

/// Appends the Q5_1 blocks of `values` to `out` (length a multiple of [`BLOCK_LEN`]).
pub fn quantize_q5_1(values: &[f32], out: &mut Vec<u8>) {
    debug_assert!(values.len().is_multiple_of(BLOCK_LEN));
    out.reserve(values.len() / BLOCK_LEN * Q5_1_BLOCK_BYTES);
    const HALF: usize = BLOCK_LEN / 2;
    for block in values.chunks_exact(BLOCK_LEN) {
        let (mut min, mut max) = (f32::MAX, -f32::MAX);
        for &v in block {
            if v < min {
                min = v;
            }
            if v > max {
                max = v;
            }
        }
        let d = (max - min) / 31.0;
        let id = if d == 0.0 { 0.0 } else { 1.0 / d };
        out.extend_from_slice(&f16::from_f32(d).to_le_bytes());
        out.extend_from_slice(&f16::from_f32(min).to_le_bytes());
        // C's `(uint8_t)(x + 0.5f)` truncates; x >= 0 here, and `as u8` does the same.
        let level = |v: f32| ((v - min) * id + 0.5) as u8;
        let mut qh = 0u32;
        let mut qs = [0u8; HALF];
        for j in 0..HALF {
            let (lo, hi) = (level(block[j]), level(block[j + HALF]));
            qs[j] = (lo & 0x0F) | ((hi & 0x0F) << 4);
            qh |= u32::from((lo & 0x10) >> 4) << j;
            qh |= u32::from((hi & 0x10) >> 4) << (j + HALF);
        }
        out.extend_from_slice(&qh.to_le_bytes());
        out.extend_from_slice(&qs);
    }
}

/// The values of Q5_1 blocks.
pub fn dequantize_q5_1(bytes: &[u8]) -> Vec<f32> {
    const HALF: usize = BLOCK_LEN / 2;
    let mut out = Vec::with_capacity(bytes.len() / Q5_1_BLOCK_BYTES * BLOCK_LEN);
    for block in bytes.chunks_exact(Q5_1_BLOCK_BYTES) {
        let d = f16::from_le_bytes([block[0], block[1]]).to_f32();
        let m = f16::from_le_bytes([block[2], block[3]]).to_f32();
        let qh = u32::from_le_bytes([block[4], block[5], block[6], block[7]]);
        let qs = &block[8..];
        let mut values = [0f32; BLOCK_LEN];
        for j in 0..HALF {
            let lo = (qs[j] & 0x0F) | ((((qh >> j) & 1) as u8) << 4);
            let hi = (qs[j] >> 4) | ((((qh >> (j + HALF)) & 1) as u8) << 4);
            values[j] = f32::from(lo) * d + m;
            values[j + HALF] = f32::from(hi) * d + m;
        }
        out.extend_from_slice(&values);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic values with a spread of magnitudes and signs, some blocks constant.
    fn sample(n: usize) -> Vec<f32> {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        (0..n)
            .map(|i| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let unit = (state >> 40) as f32 / (1u64 << 24) as f32 - 0.5;
                match (i / BLOCK_LEN) % 5 {
                    0 => 0.0,
                    1 => 0.75,
                    2 => unit * 1e-3,
                    3 => unit * 8.0,
                    _ => unit + 3.0,
                }
            })
            .collect()
    }

    const F16_EPS: f32 = 1.0 / 1024.0;

    #[test]
    fn q8_0_round_trip_is_within_half_a_step() {
        let x = sample(BLOCK_LEN * 50);
        let mut bytes = Vec::new();
        quantize_q8_0(&x, &mut bytes);
        assert_eq!(bytes.len(), 50 * Q8_0_BLOCK_BYTES);
        let y = dequantize_q8_0(&bytes);
        assert_eq!(y.len(), x.len());
        let mut worst = 0f32;
        for (xb, yb) in x.chunks(BLOCK_LEN).zip(y.chunks(BLOCK_LEN)) {
            let amax = xb.iter().fold(0f32, |m, v| m.max(v.abs()));
            let step = amax / 127.0;
            // Half a step, plus what storing the step as f16 moves the largest level (relative
            // 2^-11 for normal f16, more for tiny steps that are f16 subnormals).
            let step_error = (step - f16::from_f32(step).to_f32()).abs();
            let bound = step / 2.0 + 127.0 * step_error + 1e-12;
            assert!(step_error <= step * F16_EPS / 2.0 + 3e-8);
            for (a, b) in xb.iter().zip(yb) {
                assert!((a - b).abs() <= bound, "{a} -> {b} (bound {bound})");
                worst = worst.max((a - b).abs() / amax.max(f32::MIN_POSITIVE));
            }
        }
        eprintln!("q8_0: worst error {worst:.5} of the block's max |x|");
        // A zero block stays zero (the scale is 0 and so is every level).
        assert!(y[..BLOCK_LEN].iter().all(|&v| v == 0.0));
    }

    #[test]
    fn q5_1_round_trip_is_within_half_a_step() {
        let x = sample(BLOCK_LEN * 50);
        let mut bytes = Vec::new();
        quantize_q5_1(&x, &mut bytes);
        assert_eq!(bytes.len(), 50 * Q5_1_BLOCK_BYTES);
        let y = dequantize_q5_1(&bytes);
        assert_eq!(y.len(), x.len());
        for (xb, yb) in x.chunks(BLOCK_LEN).zip(y.chunks(BLOCK_LEN)) {
            let min = xb.iter().copied().fold(f32::MAX, f32::min);
            let max = xb.iter().copied().fold(-f32::MAX, f32::max);
            let step = (max - min) / 31.0;
            // Half a step, plus the f16 rounding of the minimum and of 31 steps.
            let step_error = (step - f16::from_f32(step).to_f32()).abs();
            let min_error = (min - f16::from_f32(min).to_f32()).abs();
            let bound = step / 2.0 + min_error + 31.0 * step_error + 1e-12;
            assert!(min_error <= min.abs() * F16_EPS / 2.0 + 3e-8);
            for (a, b) in xb.iter().zip(yb) {
                assert!((a - b).abs() <= bound, "{a} -> {b} (bound {bound})");
            }
        }
        // A constant block is its minimum with step 0: exact when the value is (0.75 is).
        assert!(y[BLOCK_LEN..2 * BLOCK_LEN].iter().all(|&v| v == 0.75));
    }

    #[test]
    fn q8_0_block_layout() {
        // -16, -15, ..., 15: max |x| 16, so d = 16/127 and q = round(x · 127/16).
        let x: Vec<f32> = (0..32).map(|j| j as f32 - 16.0).collect();
        let mut bytes = Vec::new();
        quantize_q8_0(&x, &mut bytes);
        assert_eq!(bytes.len(), 34);
        assert_eq!(bytes[..2], f16::from_f32(16.0 / 127.0).to_le_bytes());
        assert_eq!(bytes[2], (-127i8) as u8); // x = -16
        assert_eq!(bytes[2 + 16], 0); // x = 0
        assert_eq!(bytes[2 + 17], 8); // x = 1: 7.9375 rounds to 8
        assert_eq!(bytes[33], 119); // x = 15: 119.0625
        assert_eq!(bytes[2 + 1], (-119i8) as u8); // x = -15
    }

    #[test]
    fn q5_1_block_layout() {
        // 0, 1, ..., 31: min 0, d 1, so level j = j; values 16..31 carry the fifth bit.
        let x: Vec<f32> = (0..32).map(|j| j as f32).collect();
        let mut bytes = Vec::new();
        quantize_q5_1(&x, &mut bytes);
        let mut want = vec![0x00, 0x3C, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF];
        want.extend((0..16u8).map(|j| j | (j << 4)));
        assert_eq!(bytes, want);
        assert_eq!(dequantize_q5_1(&bytes), x);
        // Shifted and scaled: min 2, d 0.5 -> m and d stored as f16 2.0 and 0.5.
        let x: Vec<f32> = (0..32).map(|j| 2.0 + 0.5 * ((j * 7) % 32) as f32).collect();
        let mut bytes = Vec::new();
        quantize_q5_1(&x, &mut bytes);
        assert_eq!(bytes[..4], [0x00, 0x38, 0x00, 0x40]);
        assert_eq!(dequantize_q5_1(&bytes), x);
    }
}
