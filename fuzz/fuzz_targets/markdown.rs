#![no_main]
//! Fuzz target `markdown`: see `shipgate_fuzz::markdown` for the invariants.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| shipgate_fuzz::markdown(data));
