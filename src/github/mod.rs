//! GitHub: the API client (octocrab with our retry policy), check runs, and
//! what the Actions environment says about the run.

pub mod checks;
pub mod client;

pub use checks::{CheckTarget, PublishOutcome};
pub use client::{Client, GitHubConfig, RetryPolicy};

/// Whether we run inside GitHub Actions.
pub fn in_actions() -> bool {
    std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

/// The commit a check run must attach to: `--sha`, else the pull request's head
/// (from `GITHUB_EVENT_PATH`; `GITHUB_SHA` is the merge commit there), else `GITHUB_SHA`.
pub fn head_sha(explicit: Option<&str>) -> Option<String> {
    if let Some(s) = explicit {
        return Some(s.to_string());
    }
    if let Some(path) = std::env::var_os("GITHUB_EVENT_PATH")
        && let Ok(text) = std::fs::read_to_string(path)
        && let Ok(event) = serde_json::from_str::<serde_json::Value>(&text)
        && let Some(sha) = event["pull_request"]["head"]["sha"].as_str()
    {
        return Some(sha.to_string());
    }
    std::env::var("GITHUB_SHA").ok().filter(|s| !s.is_empty())
}

/// Link to the workflow run, for `details_url`.
pub fn details_url() -> Option<String> {
    let server = std::env::var("GITHUB_SERVER_URL").ok()?;
    let repo = std::env::var("GITHUB_REPOSITORY").ok()?;
    let run = std::env::var("GITHUB_RUN_ID").ok()?;
    Some(format!(
        "{}/{repo}/actions/runs/{run}",
        server.trim_end_matches('/')
    ))
}
