#![no_main]
//! Fuzz target `rule_pack`: see `shipgate_fuzz::rule_pack` for the invariants.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| shipgate_fuzz::rule_pack(data));
