//! Fixture-heavy tests (unit tests, so they travel with `src/`).

mod acme;
mod budget;
mod deploy_tests;
mod fixtures;
mod fuzz;
mod module_tests;
mod perf;
mod repo;
mod resolve_tests;
