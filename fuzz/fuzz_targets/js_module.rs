#![no_main]
//! Fuzz target `js_module`: see `shipgate_fuzz::js_module` for the invariants.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| shipgate_fuzz::js_module(data));
