#![no_main]
//! Fuzz target `socketio`: see `shipgate_fuzz::socketio` for the invariants.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| shipgate_fuzz::socketio(data));
