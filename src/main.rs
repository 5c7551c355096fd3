//! The `shipgate` binary: parse, run, map the outcome to an exit code.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(shipgate::cli::run(shipgate::cli::Cli::parse()).code())
}
