//! The command line: the only code that reads flags, the process environment
//! (`GITHUB_*`, `SHIPGATE_*`, `CI`) and the working directory. Every path flag
//! is resolved against `-C` here, once; the stages get plain inputs.

mod args;
mod environment;
mod gate;
mod hook;
mod init;
mod output;
mod protect;
mod release;
mod rules;

pub use args::*;
pub use environment::Environment;

use crate::error::{Error, Exit, Result};
use crate::gate::ProgressMode;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// What every command knows: the working directory, the environment, the global flags.
pub struct Ctx {
    /// The working directory (`-C`), canonical.
    pub cwd: PathBuf,
    /// The process environment, read once.
    pub env: Environment,
    /// `--config`, `--color`, `-q`, `-v`, `-C`.
    pub global: GlobalArgs,
}

impl Ctx {
    /// A path flag, relative to the working directory.
    pub fn path(&self, p: &Path) -> PathBuf {
        self.cwd.join(p)
    }

    /// The repository root: git's top level, else the working directory.
    pub fn root(&self) -> PathBuf {
        root_of(&self.cwd)
    }

    /// The config file: `--config` (relative to `-C`) or discovered upwards.
    pub fn config_path(&self, root: &Path) -> Option<PathBuf> {
        match &self.global.config {
            Some(p) => Some(self.path(p)),
            // Scanning a path in another repository uses that repository's config.
            None if self.cwd.starts_with(root) => crate::config::discover(&self.cwd),
            None => crate::config::discover(root),
        }
    }

    /// Whether colour goes to stdout (or stderr): `--color`, then NO_COLOR,
    /// CLICOLOR, CLICOLOR_FORCE, TERM=dumb and whether the stream is a terminal.
    pub fn color(&self, stderr: bool) -> bool {
        let choice = match self.global.color {
            ColorChoice::Always => anstream::ColorChoice::Always,
            ColorChoice::Never => anstream::ColorChoice::Never,
            ColorChoice::Auto => anstream::ColorChoice::Auto,
        };
        let resolved = if stderr {
            anstream::AutoStream::new(std::io::stderr(), choice).current_choice()
        } else {
            anstream::AutoStream::new(std::io::stdout(), choice).current_choice()
        };
        !matches!(resolved, anstream::ColorChoice::Never)
    }

    /// Progress lines on stderr: off with `-q`, groups in Actions, lines on a terminal.
    pub fn progress(&self) -> ProgressMode {
        if self.global.quiet {
            ProgressMode::Off
        } else if self.env.in_actions() {
            ProgressMode::Actions
        } else if std::io::stderr().is_terminal() {
            ProgressMode::Lines
        } else {
            ProgressMode::Off
        }
    }

    /// -1 quiet, 0 normal, 1+ verbose.
    pub fn verbosity(&self) -> i8 {
        if self.global.quiet {
            -1
        } else {
            self.global.verbose.min(3) as i8
        }
    }
}

/// git's top level of `dir`, else `dir`.
pub fn root_of(dir: &Path) -> PathBuf {
    crate::git::toplevel(dir)
        .and_then(|p| p.canonicalize().ok())
        .unwrap_or_else(|| dir.to_path_buf())
}

fn working_dir(g: &GlobalArgs) -> Result<PathBuf> {
    let here = std::env::current_dir()
        .map_err(|e| Error::incomplete(format!("cannot read the current directory: {e}")))?;
    let dir = match &g.directory {
        Some(d) => here.join(d),
        None => here,
    };
    let shown = g
        .directory
        .as_ref()
        .map_or_else(|| dir.display().to_string(), |d| d.display().to_string());
    match std::fs::metadata(&dir) {
        Ok(m) if !m.is_dir() => {
            return Err(Error::usage(format!("-C {shown}: not a directory")));
        }
        Err(e) => return Err(Error::usage(format!("-C {shown}: {e}"))),
        Ok(_) => {}
    }
    dir.canonicalize()
        .map_err(|e| Error::usage(format!("cannot use directory {shown}: {e}")))
}

/// Runs a parsed command line and returns how it ended. Errors are printed
/// here, once, through the redaction policy of the environment.
pub fn run(cli: Cli) -> Exit {
    let env = Environment::capture();
    let redactor = crate::secrets::Redactor::default();
    redactor.add_env(env.pairs());
    let result = working_dir(&cli.global).and_then(|cwd| {
        let ctx = Ctx {
            cwd,
            env,
            global: cli.global,
        };
        dispatch(&ctx, &cli.command)
    });
    match result {
        Ok(exit) => exit,
        Err(e) => {
            let text = e.to_string();
            let text = redactor.redact(&text);
            match &e {
                Error::Config(_) => eprintln!("{text}"),
                _ => eprintln!("error: {text}"),
            }
            e.exit()
        }
    }
}

fn dispatch(ctx: &Ctx, command: &Command) -> Result<Exit> {
    match command {
        Command::Scan(a) => gate::scan(ctx, a),
        Command::Env(a) => gate::env(ctx, a),
        Command::Smoke(a) => gate::smoke(ctx, a),
        Command::Integrity(a) => gate::integrity(ctx, a),
        Command::Gate(a) => gate::gate(ctx, a),
        Command::Release { command } => release::run(ctx, command),
        Command::Protect { command } => protect::run(ctx, command),
        Command::Init { force } => init::init(ctx, *force),
        Command::Config {
            command: ConfigCommand::Schema,
        } => init::schema(),
        Command::Hook { command } => hook::run(ctx, command),
        Command::Report {
            command: ReportCommand::Publish { report, publish },
        } => output::publish_saved(ctx, report, publish),
        Command::Rules { command } => rules::run(ctx, command),
    }
}
