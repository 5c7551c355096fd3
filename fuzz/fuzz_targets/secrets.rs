#![no_main]
//! Fuzz target `secrets`: see `shipgate_fuzz::secrets` for the invariants.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| shipgate_fuzz::secrets(data));
