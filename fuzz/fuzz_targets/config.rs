#![no_main]
//! Fuzz target `config`: see `shipgate_fuzz::config` for the invariants.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| shipgate_fuzz::config(data));
