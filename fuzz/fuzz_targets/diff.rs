#![no_main]
//! Fuzz target `diff`: see `shipgate_fuzz::diff` for the invariants.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| shipgate_fuzz::diff(data));
