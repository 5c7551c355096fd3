#![no_main]
//! Fuzz target `workflow`: see `shipgate_fuzz::workflow` for the invariants.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| shipgate_fuzz::workflow(data));
