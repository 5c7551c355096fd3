//! Files larger than `max_file_size` are scanned in bounded memory: read in
//! windows cut at line ends (a long line is cut with an overlap), so that no
//! match within a line is lost and memory stays at about two windows.

use super::{Kind, Scanner, classify};
use crate::scan::file::{Origin, scan_text};
use crate::walk::WalkFile;
use std::collections::HashSet;
use std::io::Read;

/// Bytes repeated across a cut inside a single over-long line.
const OVERLAP: usize = 4096;

/// What happened to a large file.
pub enum Outcome {
    /// Scanned completely (bytes read).
    Scanned(u64),
    /// A known binary format.
    Binary,
    /// Not text, not a known format.
    Unknown,
}

/// Scans `file` window by window.
pub fn scan(s: &Scanner, applicable: &[usize], file: &WalkFile) -> Result<Outcome, String> {
    let window = usize::try_from(s.max_size.clamp(64 * 1024, 256 * 1024 * 1024)).unwrap_or(1 << 20);
    let mut f = std::fs::File::open(&file.abs).map_err(|e| e.to_string())?;
    let mut buf: Vec<u8> = Vec::with_capacity(window + OVERLAP);
    let mut origin = Origin::default();
    let mut seen: HashSet<(String, u64)> = HashSet::new();
    let mut first = true;
    let mut total = 0u64;
    loop {
        let have = buf.len();
        buf.resize(have + window, 0);
        let n = read_full(&mut f, &mut buf[have..]).map_err(|e| e.to_string())?;
        buf.truncate(have + n);
        total += n as u64;
        let eof = n == 0 || buf.len() < have + window;
        if first {
            first = false;
            match classify(&file.rel, &buf) {
                Kind::Text => {}
                Kind::Binary => return Ok(Outcome::Binary),
                Kind::Unknown => return Ok(Outcome::Unknown),
            }
        }
        if buf.is_empty() {
            break;
        }
        // Cut after the last newline; a window without one is cut with an overlap.
        let (cut, keep_from) = if eof {
            (buf.len(), buf.len())
        } else {
            match memchr::memrchr(b'\n', &buf) {
                Some(nl) => (nl + 1, nl + 1),
                None => (buf.len(), buf.len().saturating_sub(OVERLAP)),
            }
        };
        let chunk = &buf[..cut];
        for (finding, at) in scan_text(
            s.rules, applicable, &file.rel, chunk, None, origin, s.redactor,
        ) {
            if seen.insert((finding.rule.clone(), at)) {
                s.push(vec![finding]);
            }
        }
        let consumed = &buf[..keep_from];
        origin.lines_before += memchr::memchr_iter(b'\n', consumed).count();
        origin.bytes_before += keep_from as u64;
        buf.drain(..keep_from);
        if eof {
            break;
        }
    }
    Ok(Outcome::Scanned(total))
}

fn read_full(f: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match f.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}
