#![no_main]
//! Fuzz target `render`: an arbitrary report through every renderer (see
//! `shipgate_fuzz::render`), and the JUnit XML through a strict XML parser.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let junit = shipgate_fuzz::render_junit(data);
    if let Err(e) = roxmltree::Document::parse(&junit) {
        panic!("JUnit XML rejected by roxmltree: {e}");
    }
});
