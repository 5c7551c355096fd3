//! The `shipgate` binary: parse, run, map the outcome to an exit code.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = shipgate::cli::Cli::parse();
    ExitCode::from(shipgate::app::run(cli).code())
}
