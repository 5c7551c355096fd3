#![no_main]
//! Fuzz target `health`: see `shipgate_fuzz::health` for the invariants.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| shipgate_fuzz::health(data));
