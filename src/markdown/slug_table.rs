//! github-slugger 2.0.0 removal table. The generated ranges are split by Unicode plane
//! (`bmp`: up to U+FFFF, `astral`: U+10000 and above) to keep files small; [`REMOVE`] is
//! their concatenation, built at compile time.

mod astral;
mod bmp;

/// Number of ranges in [`REMOVE`].
const LEN: usize = bmp::BMP.len() + astral::ASTRAL.len();

/// Code point ranges (inclusive) removed by github-slugger 2.0.0's `regex.js`
/// (generated from its UTF-16 regex; astral alternatives decoded to scalar values).
pub(super) static REMOVE: &[(u32, u32)] = &concat();

/// `BMP` followed by `ASTRAL` (both sorted, so the result is sorted too).
const fn concat() -> [(u32, u32); LEN] {
    let mut out = [(0, 0); LEN];
    let mut i = 0;
    while i < bmp::BMP.len() {
        out[i] = bmp::BMP[i];
        i += 1;
    }
    let mut j = 0;
    while j < astral::ASTRAL.len() {
        out[i + j] = astral::ASTRAL[j];
        j += 1;
    }
    out
}
