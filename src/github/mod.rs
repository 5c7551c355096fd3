//! GitHub: the API client (a thin reqwest client with our retry policy),
//! check runs and their lifecycle. What the Actions environment says about a
//! run (repository, commit, run URL) is read by the CLI and passed in.

pub mod checks;
pub mod client;
mod publish;

pub use checks::{CheckTarget, PublishOutcome};
pub use client::{Client, GitHubConfig, RetryPolicy};
pub use publish::Publisher;
