//! The command line (clap derive). Each subcommand takes only the flags that
//! mean something for it.

use crate::model::Severity;
use crate::render::Format;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// A release gate for web services.
#[derive(Debug, Parser)]
#[command(name = "shipgate", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// When to color text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Color when the stream is a terminal (NO_COLOR, CLICOLOR and CLICOLOR_FORCE honoured).
    Auto,
    /// Always color.
    Always,
    /// Never color.
    Never,
}

/// An `--output FORMAT=PATH` pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputSpec {
    /// Format to write.
    pub format: Format,
    /// Destination file.
    pub path: PathBuf,
}

fn parse_output(s: &str) -> Result<OutputSpec, String> {
    let (f, p) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not FORMAT=PATH (e.g. json=shipgate.json)"))?;
    if p.is_empty() {
        return Err(format!("`{s}`: the path is empty"));
    }
    Ok(OutputSpec {
        format: f.parse()?,
        path: PathBuf::from(p),
    })
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse()
}

fn parse_wait(s: &str) -> Result<std::time::Duration, String> {
    crate::toml_doc::parse_duration(s)
        .ok_or_else(|| format!("`{s}` is not a duration such as 30s or 5m (at most a year)"))
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Config file (default: shipgate.toml or .github/shipgate.toml, found by walking up).
    #[arg(long, global = true, env = "SHIPGATE_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Color text output.
    #[arg(long, global = true, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Print less: only the findings lines and the verdict.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more: snippets for every finding, suppressed findings, fingerprints, statistics.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Run as if started in DIR (every path flag is relative to it).
    #[arg(short = 'C', long = "directory", global = true, value_name = "DIR")]
    pub directory: Option<PathBuf>,
}

/// How a report is printed and judged.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// Format printed on stdout: text, json, sarif, junit, markdown or github.
    #[arg(long, default_value = "text", value_parser = parse_format, value_name = "FORMAT")]
    pub format: Format,
    /// Also write FORMAT to PATH (repeatable), e.g. --output sarif=shipgate.sarif.
    #[arg(long = "output", value_name = "FORMAT=PATH", value_parser = parse_output)]
    pub outputs: Vec<OutputSpec>,
    /// Lowest severity that fails the gate: error, warning or note [default: error].
    #[arg(long, value_parser = parse_severity, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,
    /// Exit 0 even when findings fail the gate (an incomplete run still exits 3).
    #[arg(long)]
    pub exit_zero: bool,
    /// Suppress findings (of every stage) whose fingerprint is in this earlier JSON report.
    #[arg(long, value_name = "REPORT.json")]
    pub baseline: Option<PathBuf>,
}

/// Which files a scan looks at.
#[derive(Debug, Clone, Args, Default)]
pub struct ScanSelection {
    /// Scan exactly the files git tracks, including ones matching .gitignore.
    #[arg(long, conflicts_with_all = ["diff", "staged"])]
    pub tracked: bool,
    /// Report only lines added since BASE (`BASE`, `A..B` or `A...B`).
    #[arg(long, value_name = "BASE", conflicts_with = "staged")]
    pub diff: Option<String>,
    /// Report only lines added in the index (staged changes).
    #[arg(long)]
    pub staged: bool,
    /// Limit the scan to these paths.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// `shipgate scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Which files.
    #[command(flatten)]
    pub selection: ScanSelection,
    /// Say whether PATH is production (the entrypoint and import chain that
    /// ship it, or the globs that decide) and exit.
    #[arg(long, value_name = "PATH")]
    pub explain_scope: Option<PathBuf>,
    /// Output.
    #[command(flatten)]
    pub report: ReportArgs,
}

/// What the env stage checks besides code and templates.
#[derive(Debug, Clone, Args, Default)]
pub struct EnvSelection {
    /// Check the `.env.PROFILE` files (e.g. production, staging).
    #[arg(long, value_name = "PROFILE")]
    pub profile: Option<String>,
    /// Check this env file (repeatable); its profile comes from its name or --profile.
    #[arg(long = "env-file", value_name = "PATH")]
    pub env_files: Vec<PathBuf>,
    /// Check the live process environment (at deploy time).
    #[arg(long)]
    pub from_process: bool,
}

/// `shipgate env`.
#[derive(Debug, Args)]
pub struct EnvArgs {
    /// What to check.
    #[command(flatten)]
    pub selection: EnvSelection,
    /// Output.
    #[command(flatten)]
    pub report: ReportArgs,
}

/// `shipgate integrity`.
#[derive(Debug, Args)]
pub struct IntegrityArgs {
    /// Check a change: report only what it touches, and apply the change policies.
    #[arg(long, value_name = "BASE")]
    pub diff: Option<String>,
    /// Output.
    #[command(flatten)]
    pub report: ReportArgs,
}

/// What the smoke stage checks.
#[derive(Debug, Clone, Args, Default)]
pub struct SmokeSelection {
    /// Base URL of the deploy (else SHIPGATE_BASE_URL, else [smoke].base_url).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Wait up to this long for the deploy to be ready (e.g. 30s, 5m).
    #[arg(long, value_name = "DURATION", value_parser = parse_wait)]
    pub wait: Option<std::time::Duration>,
    /// Release the deploy must report (default [smoke].expect_version, then GITHUB_SHA).
    #[arg(long, value_name = "VERSION")]
    pub expect_version: Option<String>,
    /// Do not verify TLS certificates.
    #[arg(long)]
    pub insecure: bool,
    /// Trust this CA certificate (PEM) in addition to the system roots.
    #[arg(long, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,
}

/// `shipgate smoke`.
#[derive(Debug, Args)]
pub struct SmokeArgs {
    /// What to check.
    #[command(flatten)]
    pub selection: SmokeSelection,
    /// Output.
    #[command(flatten)]
    pub report: ReportArgs,
}

/// Where the gate's report is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PublishMode {
    /// A check run inside GitHub Actions when a token is present; nothing elsewhere.
    Auto,
    /// Always publish a check run (needs GITHUB_TOKEN/GH_TOKEN and GITHUB_REPOSITORY).
    CheckRun,
    /// Never publish.
    None,
}

/// Check-run publishing options.
#[derive(Debug, Clone, Args)]
pub struct PublishArgs {
    /// Publish the report as a GitHub check run.
    #[arg(long, value_enum, default_value = "auto")]
    pub publish: PublishMode,
    /// Check run name (the name branch protection requires).
    #[arg(long, default_value = "shipgate", value_name = "NAME")]
    pub check_name: String,
    /// Commit to attach the check run to (default: the PR head, else GITHUB_SHA).
    #[arg(long, value_name = "SHA")]
    pub sha: Option<String>,
    /// Exit 3 when the check run could not be published.
    #[arg(long)]
    pub require_publish: bool,
    /// Conclude `neutral` instead of `success` when the gate passed with warnings or skipped stages.
    #[arg(long)]
    pub neutral_on_warnings: bool,
}

/// The env stage's options under `shipgate gate`.
#[derive(Debug, Clone, Args, Default)]
pub struct GateEnvArgs {
    /// Env profile to check (`.env.PROFILE`; default from the gate profile).
    #[arg(long, value_name = "PROFILE")]
    pub env_profile: Option<String>,
    /// Check this env file (repeatable).
    #[arg(long = "env-file", value_name = "PATH")]
    pub env_files: Vec<PathBuf>,
    /// Check the live process environment.
    #[arg(long)]
    pub from_process: bool,
}

/// `shipgate gate` options.
#[derive(Debug, Args)]
pub struct GateArgs {
    /// Gate profile: default, pr, pre-push, release, or one from [gate.profiles].
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Which files the scan stage looks at (overrides the profile).
    #[command(flatten)]
    pub scan: ScanSelection,
    /// What the env stage checks.
    #[command(flatten)]
    pub env: GateEnvArgs,
    /// What the smoke stage checks (skipped without a base URL).
    #[command(flatten)]
    pub smoke: SmokeSelection,
    /// Publishing.
    #[command(flatten)]
    pub publish: PublishArgs,
    /// Output.
    #[command(flatten)]
    pub report: ReportArgs,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan the repository against the rule packs.
    Scan(ScanArgs),
    /// Check env vars read by code against the template and profiles.
    Env(EnvArgs),
    /// Post-deploy checks against a base URL.
    Smoke(SmokeArgs),
    /// Check that CI steps, scripts, runbooks and change policies are real.
    Integrity(IntegrityArgs),
    /// Run a profile's stages (scan, env, integrity, protect, smoke, commands) and print one verdict.
    Gate(Box<GateArgs>),
    /// Is the repository ready to tag a release?
    Release {
        /// What to do.
        #[command(subcommand)]
        command: ReleaseCommand,
    },
    /// Branch protection as code: plan, apply, check.
    Protect {
        /// What to do.
        #[command(subcommand)]
        command: ProtectCommand,
    },
    /// Detect the stack and write a starter shipgate.toml and workflow.
    Init {
        /// Overwrite existing files.
        #[arg(long)]
        force: bool,
    },
    /// Configuration helpers.
    Config {
        /// What to do.
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Install or remove the git pre-push hook (and run it).
    Hook {
        /// What to do.
        #[command(subcommand)]
        command: HookCommand,
    },
    /// Work with saved reports.
    Report {
        /// What to do with a report.
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// List, explain and test rules.
    Rules {
        /// What to do with rules.
        #[command(subcommand)]
        command: RulesCommand,
    },
}

/// Options shared by the protect commands.
#[derive(Debug, Clone, Args)]
pub struct ProtectArgs {
    /// Repository `owner/name` (default [protect].repo, then GITHUB_REPOSITORY).
    #[arg(long, value_name = "OWNER/NAME")]
    pub repo: Option<String>,
    /// The check-run name shipgate publishes (counts as a known check).
    #[arg(long, default_value = "shipgate", value_name = "NAME")]
    pub check_name: String,
    /// Run over every repository of this organisation.
    #[arg(long, value_name = "ORG", conflicts_with = "repo")]
    pub org: Option<String>,
    /// With --org: only repositories whose name matches (`*` wildcard).
    #[arg(long, value_name = "GLOB", requires = "org")]
    pub filter: Option<String>,
    /// With --org: only repositories with this topic.
    #[arg(long, value_name = "TOPIC", requires = "org")]
    pub topic: Option<String>,
    /// With --org: include archived repositories.
    #[arg(long, requires = "org")]
    pub include_archived: bool,
    /// With --org: include forks.
    #[arg(long, requires = "org")]
    pub include_forks: bool,
    /// With --org: repositories read at once.
    #[arg(long, default_value_t = 8, value_name = "N")]
    pub concurrency: usize,
}

/// `shipgate protect …`.
#[derive(Debug, Subcommand)]
pub enum ProtectCommand {
    /// Show what apply would change (exit 0: nothing, 1: changes).
    Plan(ProtectArgs),
    /// Apply the plan, then read back and verify.
    Apply {
        /// Shared options.
        #[command(flatten)]
        args: ProtectArgs,
        /// Allow changes that lower protection.
        #[arg(long)]
        allow_weaken: bool,
        /// Allow required checks that no workflow produces.
        #[arg(long)]
        allow_unknown_checks: bool,
        /// Print the plan without changing anything.
        #[arg(long)]
        dry_run: bool,
    },
    /// Report drift between the config and GitHub as findings (no changes).
    Check {
        /// Shared options.
        #[command(flatten)]
        args: ProtectArgs,
        /// Output.
        #[command(flatten)]
        report: ReportArgs,
    },
}

/// `shipgate config …`.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the JSON Schema of shipgate.toml (for editor completion).
    Schema,
}

/// `shipgate release …`.
#[derive(Debug, Subcommand)]
pub enum ReleaseCommand {
    /// Check readiness (semver, newer than the last release, tag free, clean tree,
    /// release branch equal to upstream, changelog section), then run the `release` gate profile.
    Check {
        /// The tag to create, e.g. v1.4.0.
        #[arg(value_name = "VERSION")]
        release: String,
        /// Create the annotated tag when everything passed.
        #[arg(long)]
        tag: bool,
        /// Release branch (default: origin's default branch, else main/master).
        #[arg(long, value_name = "BRANCH")]
        branch: Option<String>,
        /// Changelog file.
        #[arg(long, default_value = "CHANGELOG.md", value_name = "PATH")]
        changelog: PathBuf,
        /// Options of the release gate's smoke stage.
        #[command(flatten)]
        smoke: SmokeSelection,
        /// Output.
        #[command(flatten)]
        report: ReportArgs,
    },
}

/// `shipgate hook …`.
#[derive(Debug, Subcommand)]
pub enum HookCommand {
    /// Write a pre-push hook where git looks for hooks (core.hooksPath and worktrees honoured).
    Install {
        /// Replace a hook that is not shipgate's.
        #[arg(long, conflicts_with = "chain")]
        force: bool,
        /// Keep a foreign hook and run it before shipgate.
        #[arg(long)]
        chain: bool,
    },
    /// Remove shipgate's hook (a chained hook is restored).
    Uninstall,
    /// Run a hook (git calls this; reads git's stdin).
    #[command(hide = true)]
    Run {
        /// Hook name: pre-push.
        hook: String,
        /// Remote name (git passes it).
        remote: Option<String>,
        /// Remote URL (git passes it).
        url: Option<String>,
        /// Lowest severity that blocks the push (default from the pre-push profile).
        #[arg(long, value_parser = parse_severity, value_name = "SEVERITY")]
        fail_on: Option<Severity>,
    },
}

/// `shipgate report …`.
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Publish a saved JSON report as a check run (the fork-safe workflow_run pattern).
    Publish {
        /// A report written with `--output json=PATH`.
        report: PathBuf,
        /// Publishing options (`--publish` is implied).
        #[command(flatten)]
        publish: PublishArgs,
    },
}

/// Output of `rules list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// A table.
    Text,
    /// A JSON array.
    Json,
}

/// `shipgate rules …`.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List the enabled rules of every stage (built-in, .shipgate/rules and configured packs).
    List {
        /// text or json.
        #[arg(long, value_enum, default_value = "text")]
        format: ListFormat,
    },
    /// Print a rule's documentation.
    Explain {
        /// Rule id, e.g. localhost/hardcoded-url or env/undeclared.
        #[arg(required_unless_present = "all")]
        id: Option<String>,
        /// Print every built-in rule (the text of docs/rules.md).
        #[arg(long, conflicts_with = "id")]
        all: bool,
    },
    /// Run the rules' own examples (all loaded packs, or the given pack files).
    Test {
        /// Pack files to test instead of the loaded packs.
        packs: Vec<PathBuf>,
    },
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
