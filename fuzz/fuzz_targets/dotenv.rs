#![no_main]
//! Fuzz target `dotenv`: see `shipgate_fuzz::dotenv` for the invariants.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| shipgate_fuzz::dotenv(data));
