//! Branch protection in one normalised shape: built from config (the PUT
//! shape) and from GitHub's GET answer, compared field by field.

use serde_json::{Value, json};

/// A required status check, with the app that must set it (if pinned).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Check {
    /// Check name as GitHub reports it.
    pub context: String,
    /// GitHub App id; `None` = any.
    pub app_id: Option<i64>,
}

/// Required status checks.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Checks {
    /// The branch must be up to date.
    pub strict: bool,
    /// Checks, sorted.
    pub checks: Vec<Check>,
}

/// Required reviews.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reviews {
    /// Approvals needed.
    pub count: u64,
    /// New commits dismiss approvals.
    pub dismiss_stale: bool,
    /// Code owners must approve.
    pub code_owners: bool,
    /// The last pusher cannot approve.
    pub last_push: bool,
    /// `dismissal_restrictions` and `bypass_pull_request_allowances`, as
    /// logins/slugs (`None`: not given; then GitHub's are carried over).
    pub allowances: Option<Value>,
}

/// `{users: [{login}], teams: [{slug}], apps: [{slug}]}` → `{users: [login], …}`.
fn actors(v: &Value) -> Value {
    json!({
        "users": names(&v["users"], "login"),
        "teams": names(&v["teams"], "slug"),
        "apps": names(&v["apps"], "slug"),
    })
}

/// Who may push (`restrictions`), as logins and slugs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Restrictions {
    /// User logins.
    pub users: Vec<String>,
    /// Team slugs.
    pub teams: Vec<String>,
    /// App slugs.
    pub apps: Vec<String>,
}

fn names(v: &Value, key: &str) -> Vec<String> {
    let mut out: Vec<String> = v
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| {
                    x.as_str()
                        .map(str::to_string)
                        .or_else(|| x[key].as_str().map(str::to_string))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn restrictions_of(v: &Value) -> Option<Restrictions> {
    if !v.is_object() {
        return None;
    }
    Some(Restrictions {
        users: names(&v["users"], "login"),
        teams: names(&v["teams"], "slug"),
        apps: names(&v["apps"], "slug"),
    })
}

/// Protection of one branch. `None`/`false` everywhere = unprotected.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Protection {
    /// Required status checks.
    pub checks: Option<Checks>,
    /// Admins are not exempt.
    pub enforce_admins: bool,
    /// Required reviews.
    pub reviews: Option<Reviews>,
    /// Linear history.
    pub linear_history: bool,
    /// Conversations must be resolved.
    pub conversation_resolution: bool,
    /// Force pushes allowed.
    pub force_pushes: bool,
    /// Deleting the branch allowed.
    pub deletions: bool,
    /// Read-only branch.
    pub lock_branch: bool,
    /// Signed commits required.
    pub signatures: bool,
    /// Push restrictions (`None`: anyone with write access).
    pub restrictions: Option<Restrictions>,
    /// Whether the config manages `restrictions` (otherwise GitHub's are kept).
    pub restrictions_managed: bool,
}

fn enabled(v: &Value) -> bool {
    v.get("enabled")
        .and_then(Value::as_bool)
        .or_else(|| v.as_bool())
        .unwrap_or(false)
}

fn checks_of(v: &Value) -> Option<Checks> {
    if v.is_null() {
        return None;
    }
    let mut checks: Vec<Check> = v["checks"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| {
                    Some(Check {
                        context: c["context"].as_str()?.to_string(),
                        app_id: c["app_id"].as_i64().filter(|id| *id != -1),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    if checks.is_empty()
        && let Some(ctx) = v["contexts"].as_array()
    {
        checks = ctx
            .iter()
            .filter_map(|c| c.as_str())
            .map(|c| Check {
                context: c.into(),
                app_id: None,
            })
            .collect();
    }
    checks.sort();
    checks.dedup();
    Some(Checks {
        strict: v["strict"].as_bool().unwrap_or(false),
        checks,
    })
}

fn reviews_of(v: &Value) -> Option<Reviews> {
    if v.is_null() || !v.is_object() {
        return None;
    }
    Some(Reviews {
        count: v["required_approving_review_count"].as_u64().unwrap_or(0),
        dismiss_stale: v["dismiss_stale_reviews"].as_bool().unwrap_or(false),
        code_owners: v["require_code_owner_reviews"].as_bool().unwrap_or(false),
        last_push: v["require_last_push_approval"].as_bool().unwrap_or(false),
        allowances: {
            let mut m = serde_json::Map::new();
            for k in ["dismissal_restrictions", "bypass_pull_request_allowances"] {
                if let Some(x) = v.get(k).filter(|x| x.is_object()) {
                    m.insert(k.into(), actors(x));
                }
            }
            (!m.is_empty()).then_some(Value::Object(m))
        },
    })
}

impl Protection {
    /// From GitHub's GET answer (`{enabled}` objects, url fields ignored).
    pub fn from_get(v: &Value) -> Protection {
        Protection {
            checks: checks_of(&v["required_status_checks"]),
            enforce_admins: enabled(&v["enforce_admins"]),
            reviews: reviews_of(&v["required_pull_request_reviews"]),
            linear_history: enabled(&v["required_linear_history"]),
            conversation_resolution: enabled(&v["required_conversation_resolution"]),
            force_pushes: enabled(&v["allow_force_pushes"]),
            deletions: enabled(&v["allow_deletions"]),
            lock_branch: enabled(&v["lock_branch"]),
            signatures: enabled(&v["required_signatures"]),
            restrictions: restrictions_of(&v["restrictions"]),
            restrictions_managed: true,
        }
    }

    /// From the config (the PUT shape, plus `required_signatures`).
    pub fn from_put(v: &Value) -> Protection {
        Protection {
            checks: checks_of(&v["required_status_checks"]),
            enforce_admins: v["enforce_admins"].as_bool().unwrap_or(false),
            reviews: reviews_of(&v["required_pull_request_reviews"]),
            linear_history: v["required_linear_history"].as_bool().unwrap_or(false),
            conversation_resolution: v["required_conversation_resolution"]
                .as_bool()
                .unwrap_or(false),
            force_pushes: v["allow_force_pushes"].as_bool().unwrap_or(false),
            deletions: v["allow_deletions"].as_bool().unwrap_or(false),
            lock_branch: v["lock_branch"].as_bool().unwrap_or(false),
            signatures: v["required_signatures"].as_bool().unwrap_or(false),
            restrictions: restrictions_of(&v["restrictions"]),
            restrictions_managed: v.get("restrictions").is_some(),
        }
    }

    /// The desired protection with unmanaged parts taken from GitHub's current state
    /// (a PUT replaces everything, so omitting them would silently remove them).
    pub fn merged_with(&self, current: Option<&Protection>) -> Protection {
        let mut out = self.clone();
        if !self.restrictions_managed {
            out.restrictions = current.and_then(|c| c.restrictions.clone());
        }
        if let Some(r) = out.reviews.as_mut()
            && r.allowances.is_none()
        {
            r.allowances = current
                .and_then(|c| c.reviews.as_ref())
                .and_then(|c| c.allowances.clone());
        }
        out
    }

    /// The PUT body (`checks` form; GitHub rejects `contexts` and `checks` together).
    pub fn put_body(&self) -> Value {
        json!({
            "required_status_checks": self.checks.as_ref().map(|c| json!({
                "strict": c.strict,
                "checks": c.checks.iter().map(|k| match k.app_id {
                    Some(id) => json!({ "context": k.context, "app_id": id }),
                    None => json!({ "context": k.context }),
                }).collect::<Vec<_>>(),
            })),
            "enforce_admins": self.enforce_admins,
            "required_pull_request_reviews": self.reviews.as_ref().map(|r| {
                let mut v = json!({
                    "required_approving_review_count": r.count,
                    "dismiss_stale_reviews": r.dismiss_stale,
                    "require_code_owner_reviews": r.code_owners,
                    "require_last_push_approval": r.last_push,
                });
                if let (Some(Value::Object(a)), Some(o)) = (&r.allowances, v.as_object_mut()) {
                    o.extend(a.clone());
                }
                v
            }),
            "restrictions": self.restrictions.as_ref().map(|r| json!({
                "users": r.users, "teams": r.teams, "apps": r.apps,
            })),
            "required_linear_history": self.linear_history,
            "allow_force_pushes": self.force_pushes,
            "allow_deletions": self.deletions,
            "required_conversation_resolution": self.conversation_resolution,
            "lock_branch": self.lock_branch,
        })
    }
}

/// One difference between GitHub and the config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Config key path, e.g. `required_status_checks.checks`.
    pub field: String,
    /// What GitHub has.
    pub from: String,
    /// What the config wants.
    pub to: String,
    /// Applying it lowers protection.
    pub weakens: bool,
}

fn flag(out: &mut Vec<Change>, field: &str, from: bool, to: bool, weak_when_true: bool) {
    if from != to {
        out.push(Change {
            field: field.into(),
            from: from.to_string(),
            to: to.to_string(),
            weakens: if weak_when_true { to } else { !to },
        });
    }
}

fn list(c: &[Check]) -> String {
    let v: Vec<String> = c
        .iter()
        .map(|k| match k.app_id {
            Some(id) => format!("{} (app {id})", k.context),
            None => k.context.clone(),
        })
        .collect();
    format!("[{}]", v.join(", "))
}

/// The top-level switches: (field, value, whether turning it on weakens protection).
type Switch = (&'static str, fn(&Protection) -> bool, bool);

const SWITCHES: &[Switch] = &[
    ("enforce_admins", |p| p.enforce_admins, false),
    ("required_linear_history", |p| p.linear_history, false),
    (
        "required_conversation_resolution",
        |p| p.conversation_resolution,
        false,
    ),
    ("allow_force_pushes", |p| p.force_pushes, true),
    ("allow_deletions", |p| p.deletions, true),
    ("lock_branch", |p| p.lock_branch, false),
    ("required_signatures", |p| p.signatures, false),
];

/// What applying `want` over `have` changes, each marked when it weakens protection.
pub fn diff(have: &Protection, want: &Protection) -> Vec<Change> {
    let mut out = Vec::new();
    diff_checks(have, want, &mut out);
    diff_reviews(have, want, &mut out);
    for (field, get, weak_when_true) in SWITCHES {
        flag(&mut out, field, get(have), get(want), *weak_when_true);
    }
    if want.restrictions_managed && have.restrictions != want.restrictions {
        let show = |r: &Option<Restrictions>| match r {
            None => "anyone with write access".to_string(),
            Some(r) => format!(
                "users {:?}, teams {:?}, apps {:?}",
                r.users, r.teams, r.apps
            ),
        };
        out.push(Change {
            field: "restrictions".into(),
            from: show(&have.restrictions),
            to: show(&want.restrictions),
            weakens: want.restrictions.is_none() && have.restrictions.is_some(),
        });
    }
    // Keep the order of GitHub's PUT body: checks, admins, reviews, the rest.
    out.sort_by_key(|c| {
        FIELD_ORDER
            .iter()
            .position(|f| c.field.starts_with(f))
            .unwrap_or(usize::MAX)
    });
    out
}

const FIELD_ORDER: &[&str] = &[
    "required_status_checks",
    "enforce_admins",
    "required_pull_request_reviews",
    "required_linear_history",
    "required_conversation_resolution",
    "allow_force_pushes",
    "allow_deletions",
    "lock_branch",
    "required_signatures",
    "restrictions",
];

fn diff_checks(have: &Protection, want: &Protection, out: &mut Vec<Change>) {
    match (&have.checks, &want.checks) {
        (None, None) => {}
        (Some(_), None) => out.push(Change {
            field: "required_status_checks".into(),
            from: "required".into(),
            to: "none".into(),
            weakens: true,
        }),
        (None, Some(w)) => out.push(Change {
            field: "required_status_checks".into(),
            from: "none".into(),
            to: format!("strict={} {}", w.strict, list(&w.checks)),
            weakens: false,
        }),
        (Some(h), Some(w)) => {
            flag(
                out,
                "required_status_checks.strict",
                h.strict,
                w.strict,
                false,
            );
            if h.checks != w.checks {
                let dropped = h
                    .checks
                    .iter()
                    .any(|c| !w.checks.iter().any(|x| x.context == c.context));
                out.push(Change {
                    field: "required_status_checks.checks".into(),
                    from: list(&h.checks),
                    to: list(&w.checks),
                    weakens: dropped,
                });
            }
        }
    }
}

fn diff_reviews(have: &Protection, want: &Protection, out: &mut Vec<Change>) {
    match (&have.reviews, &want.reviews) {
        (None, None) => {}
        (Some(_), None) => out.push(Change {
            field: "required_pull_request_reviews".into(),
            from: "required".into(),
            to: "none".into(),
            weakens: true,
        }),
        (None, Some(w)) => out.push(Change {
            field: "required_pull_request_reviews".into(),
            from: "none".into(),
            to: format!("{} approval(s)", w.count),
            weakens: false,
        }),
        (Some(h), Some(w)) => {
            if h.count != w.count {
                out.push(Change {
                    field: "required_pull_request_reviews.required_approving_review_count".into(),
                    from: h.count.to_string(),
                    to: w.count.to_string(),
                    weakens: w.count < h.count,
                });
            }
            let r = "required_pull_request_reviews";
            flag(
                out,
                &format!("{r}.dismiss_stale_reviews"),
                h.dismiss_stale,
                w.dismiss_stale,
                false,
            );
            flag(
                out,
                &format!("{r}.require_code_owner_reviews"),
                h.code_owners,
                w.code_owners,
                false,
            );
            flag(
                out,
                &format!("{r}.require_last_push_approval"),
                h.last_push,
                w.last_push,
                false,
            );
            if w.allowances.is_some() && h.allowances != w.allowances {
                let show =
                    |a: &Option<Value>| a.as_ref().map_or_else(|| "none".into(), Value::to_string);
                out.push(Change {
                    field: format!("{r}.allowances"),
                    from: show(&h.allowances),
                    to: show(&w.allowances),
                    weakens: false,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_get_and_put_shapes_and_finds_weakenings() {
        let get = json!({
            "url": "https://api.github.com/…",
            "required_status_checks": { "url": "…", "strict": true, "contexts": ["validate", "audit"], "checks": [{"context": "validate", "app_id": null}, {"context": "audit", "app_id": null}] },
            "enforce_admins": { "url": "…", "enabled": true },
            "required_pull_request_reviews": { "required_approving_review_count": 2, "dismiss_stale_reviews": true },
            "required_linear_history": { "enabled": true },
            "allow_force_pushes": { "enabled": false },
            "allow_deletions": { "enabled": false },
        });
        let have = Protection::from_get(&get);
        let put = json!({
            "required_status_checks": { "strict": true, "contexts": ["audit", "validate"] },
            "enforce_admins": true,
            "required_pull_request_reviews": { "required_approving_review_count": 2, "dismiss_stale_reviews": true },
            "required_linear_history": true,
        });
        assert_eq!(diff(&have, &Protection::from_put(&put)), vec![]);
        let weaker = json!({ "required_status_checks": { "strict": true, "contexts": ["validate"] }, "enforce_admins": false, "required_pull_request_reviews": { "required_approving_review_count": 1 }, "allow_force_pushes": true });
        let changes = diff(&have, &Protection::from_put(&weaker));
        let weak: Vec<&str> = changes
            .iter()
            .filter(|c| c.weakens)
            .map(|c| c.field.as_str())
            .collect();
        assert_eq!(
            weak,
            vec![
                "required_status_checks.checks",
                "enforce_admins",
                "required_pull_request_reviews.required_approving_review_count",
                "required_pull_request_reviews.dismiss_stale_reviews",
                "required_linear_history",
                "allow_force_pushes",
            ]
        );
        assert_eq!(
            diff(&Protection::default(), &have)
                .iter()
                .filter(|c| c.weakens)
                .count(),
            0
        );
    }
}
