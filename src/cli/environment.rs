//! The process environment, read once at start: what GitHub Actions and the
//! user set (`GITHUB_*`, `SHIPGATE_*`, `CI`, tokens).

use crate::github::GitHubConfig;
use std::collections::BTreeMap;

/// A snapshot of the environment (variables whose name or value is not UTF-8 are left out).
#[derive(Debug, Clone, Default)]
pub struct Environment {
    vars: BTreeMap<String, String>,
}

impl Environment {
    /// Reads the process environment.
    pub fn capture() -> Self {
        Environment {
            vars: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
        }
    }

    /// Whether `name` is an executable in one of the snapshot's `PATH` directories.
    pub fn has_program(&self, name: &str) -> bool {
        let dirs: Vec<std::path::PathBuf> = self
            .get("PATH")
            .map(|p| std::env::split_paths(p).collect())
            .unwrap_or_default();
        let on_path = |n: &str| dirs.iter().any(|d| executable(&d.join(n)));
        on_path(name) || (cfg!(windows) && on_path(&format!("{name}.cmd")))
    }

    /// A non-empty variable.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// Every variable.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.vars.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Every variable, owned.
    pub fn to_vec(&self) -> Vec<(String, String)> {
        self.vars
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// Every variable as a map (what `${VAR}` in `[smoke]` reads).
    pub fn map(&self) -> std::collections::HashMap<String, String> {
        self.vars.clone().into_iter().collect()
    }

    /// Inside GitHub Actions.
    pub fn in_actions(&self) -> bool {
        self.get("GITHUB_ACTIONS") == Some("true")
    }

    /// API access from `GITHUB_TOKEN`/`GH_TOKEN` and `GITHUB_API_URL`.
    pub fn github(&self) -> Option<GitHubConfig> {
        let token = self
            .get("GITHUB_TOKEN")
            .or_else(|| self.get("GH_TOKEN"))
            .filter(|t| !t.trim().is_empty())?;
        Some(GitHubConfig {
            api_url: self
                .get("GITHUB_API_URL")
                .unwrap_or("https://api.github.com")
                .to_string(),
            token: token.to_string(),
        })
    }

    /// `GITHUB_REPOSITORY` (`owner/name`).
    pub fn repository(&self) -> Option<String> {
        self.get("GITHUB_REPOSITORY")
            .filter(|r| r.contains('/'))
            .map(str::to_string)
    }

    /// `https://github.com/owner/name` inside GitHub Actions.
    pub fn repository_url(&self) -> Option<String> {
        let repo = self.repository()?;
        let server = self
            .get("GITHUB_SERVER_URL")
            .unwrap_or("https://github.com");
        Some(format!("{}/{repo}", server.trim_end_matches('/')))
    }

    /// The commit a check run attaches to: `explicit`, else the pull
    /// request's head (from `GITHUB_EVENT_PATH`; `GITHUB_SHA` is the merge
    /// commit there), else `GITHUB_SHA`.
    pub fn head_sha(&self, explicit: Option<&str>) -> Option<String> {
        if let Some(s) = explicit {
            return Some(s.to_string());
        }
        if let Some(path) = self.get("GITHUB_EVENT_PATH")
            && let Ok(text) = std::fs::read_to_string(path)
            && let Ok(event) = serde_json::from_str::<serde_json::Value>(&text)
            && let Some(sha) = event["pull_request"]["head"]["sha"].as_str()
        {
            return Some(sha.to_string());
        }
        self.get("GITHUB_SHA").map(str::to_string)
    }

    /// Link to the workflow run, for `details_url`.
    pub fn details_url(&self) -> Option<String> {
        let server = self.get("GITHUB_SERVER_URL")?;
        let repo = self.get("GITHUB_REPOSITORY")?;
        let run = self.get("GITHUB_RUN_ID")?;
        Some(format!(
            "{}/{repo}/actions/runs/{run}",
            server.trim_end_matches('/')
        ))
    }

    /// The base a PR diff scan compares with: the PR's base branch on origin.
    pub fn pr_base(&self) -> Option<String> {
        self.get("GITHUB_BASE_REF").map(|b| format!("origin/{b}"))
    }
}

fn executable(p: &std::path::Path) -> bool {
    let Ok(m) = std::fs::metadata(p) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        m.is_file() && m.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        m.is_file()
    }
}
