//! What a variable's name and value say about it: platform-provided, secret,
//! client-exposed, bypass switch; truthiness, placeholders, loopback hosts.

/// Names platforms and runtimes provide; `*` is a suffix wildcard. Entries with a
/// path glob apply only to code under that path.
pub const PLATFORM_VARS: &[(&str, Option<&str>)] = &[
    ("NODE_ENV", None),
    ("PORT", None),
    ("HOST", None),
    ("HOSTNAME", None),
    ("CI", None),
    ("HOME", None),
    ("PATH", None),
    ("PWD", None),
    ("USER", None),
    ("SHELL", None),
    ("TZ", None),
    ("LANG", None),
    ("TERM", None),
    ("NO_COLOR", None),
    ("FORCE_COLOR", None),
    ("CLICOLOR", None),
    ("CLICOLOR_FORCE", None),
    ("TMPDIR", None),
    ("DEBUG", None),
    ("NODE_OPTIONS", None),
    ("npm_*", None),
    ("INIT_CWD", None),
    ("GITHUB_*", None),
    ("RUNNER_*", None),
    ("PRE_COMMIT_*", None),
    ("VERCEL", None),
    ("VERCEL_*", None),
    ("NEXT_PUBLIC_VERCEL_*", None),
    ("NEXT_RUNTIME", None),
    ("NEXT_PHASE", None),
    ("RAILWAY_*", None),
    ("NETLIFY", None),
    ("NETLIFY_*", None),
    ("RENDER", None),
    ("RENDER_*", None),
    ("FLY_*", None),
    ("HEROKU_*", None),
    ("DYNO", None),
    ("AWS_LAMBDA_*", None),
    ("AWS_REGION", None),
    ("AWS_EXECUTION_ENV", None),
    ("K_SERVICE", None),
    ("K_REVISION", None),
    ("K_CONFIGURATION", None),
    ("GOOGLE_CLOUD_PROJECT", None),
    ("FUNCTION_*", None),
    ("DENO_*", None),
    // Vite's built-in import.meta.env fields
    ("MODE", None),
    ("DEV", None),
    ("PROD", None),
    ("SSR", None),
    ("BASE_URL", None),
    // Supabase Edge Functions get these from the platform
    ("SUPABASE_URL", Some("supabase/functions/")),
    ("SUPABASE_ANON_KEY", Some("supabase/functions/")),
    ("SUPABASE_SERVICE_ROLE_KEY", Some("supabase/functions/")),
    ("SUPABASE_DB_URL", Some("supabase/functions/")),
];

/// Prefixes that bundlers inline into client code.
pub const CLIENT_PREFIXES: &[&str] = &[
    "VITE_",
    "NEXT_PUBLIC_",
    "REACT_APP_",
    "EXPO_PUBLIC_",
    "NUXT_PUBLIC_",
    "PUBLIC_",
    "GATSBY_",
];

/// The client prefix of a name, if any.
pub fn client_prefix(name: &str) -> Option<&'static str> {
    CLIENT_PREFIXES
        .iter()
        .copied()
        .find(|p| name.starts_with(p))
}

/// Names of bypass / test switches that must be off in production-like profiles.
pub const BYPASS_PATTERNS: &[&str] = &[
    "ALLOW_*_BYPASS",
    "*_BYPASS*",
    "ALLOW_*_FALLBACK",
    "*_TEST_MODE",
    "SKIP_*_VERIFY*",
    "DISABLE_*_AUTH*",
    "*_INSECURE*",
    "*_SKIP_AUTH*",
];

/// Whether `name` is a bypass switch.
pub fn is_bypass(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    BYPASS_PATTERNS
        .iter()
        .any(|p| crate::glob::name_matches(p, &n))
}

/// Exact boolean parsing: `Some(true)` for true/1/yes/on, `Some(false)` for
/// false/0/no/off/"" (case-insensitive), `None` otherwise.
pub fn truthiness(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" | "" => Some(false),
        _ => None,
    }
}

/// A value that is a placeholder rather than a real setting.
pub fn is_placeholder(v: &str) -> bool {
    let t = v.trim();
    if t.is_empty() {
        return false;
    }
    let l = t.to_ascii_lowercase();
    let exact = [
        "changeme",
        "change_me",
        "change-me",
        "todo",
        "tbd",
        "fixme",
        "replaceme",
        "replace_me",
        "replace-me",
        "placeholder",
        "xxx",
        "none",
        "null",
        "undefined",
        "...",
        "secret",
        "password",
        "your-key",
        "your_key",
    ];
    exact.contains(&l.as_str())
        || (l.len() >= 3 && l.chars().all(|c| c == 'x' || c == '*'))
        || (t.starts_with('<') && t.ends_with('>'))
        || ((l.starts_with("your_") || l.starts_with("your-") || l.starts_with("your "))
            && (l.ends_with("here")
                || [
                    "key", "token", "secret", "password", "value", "url", "id", "name",
                ]
                .iter()
                .any(|w| l.contains(w))))
        || l.starts_with("generate_")
        || l.starts_with("generate-a")
        || l.starts_with("insert_")
        || l.starts_with("replace_with")
        || l.starts_with("todo:")
        || l.starts_with("todo ")
        || [
            "change_this",
            "change-this",
            "changethis",
            "changeme",
            "change-me",
            "change_me",
            "replace-me",
            "replace_me",
            "replaceme",
            "your-secret",
            "your_secret",
            "placeholder",
            "not-a-real",
            "not_a_real",
            "dummy-",
            "dummy_",
        ]
        .iter()
        .any(|w| l.contains(w))
}

/// Whether a value points at a loopback host (in a URL, a DSN or on its own).
pub fn has_loopback(v: &str) -> bool {
    let l = v.to_ascii_lowercase();
    l.split(['/', '@', ',', ' ', '?', '#', '=', ';', '"', '\''])
        .map(|tok| {
            if tok.starts_with('[') {
                tok.find(']').map_or(tok, |e| &tok[..=e])
            } else {
                tok.split(':').next().unwrap_or(tok)
            }
        })
        .any(|h| {
            matches!(
                h,
                "localhost" | "0.0.0.0" | "[::1]" | "host.docker.internal"
            ) || (h.starts_with("127.")
                && h.split('.').count() == 4
                && h.split('.')
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())))
        })
}

/// Profiles whose values reach real users.
pub fn production_like(profile: &str) -> bool {
    matches!(
        profile.to_ascii_lowercase().as_str(),
        "production" | "prod" | "staging" | "stage" | "live" | "release" | "preview" | "process"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_names() {
        assert_eq!(client_prefix("NEXT_PUBLIC_X"), Some("NEXT_PUBLIC_"));
        assert!(is_bypass("ALLOW_WEBHOOK_TEST_BYPASS"));
        assert!(is_bypass("ALLOW_STRIPE_FALLBACK"));
        assert!(is_bypass("PAYMENTS_TEST_MODE"));
        assert!(is_bypass("SKIP_SIGNATURE_VERIFY"));
        assert!(is_bypass("DISABLE_ADMIN_AUTH"));
        assert!(!is_bypass("ALLOWED_ORIGINS"));
    }

    #[test]
    fn values() {
        assert_eq!(truthiness("TRUE"), Some(true));
        assert_eq!(truthiness("On"), Some(true));
        assert_eq!(truthiness(""), Some(false));
        assert_eq!(truthiness("Off"), Some(false));
        assert_eq!(truthiness("maybe"), None);
        for p in [
            "changeme",
            "change-me-in-production",
            "please_change_me_32_chars_minimum",
            "generate_a_new_key",
            "your_api_key_here",
            "xxx",
            "<secret>",
            "TODO",
            "xxxxxxxx",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for v in [
            "sk_live_abc",
            "https://api.example.com",
            "3000",
            "false",
            "yourcompany.com",
        ] {
            assert!(!is_placeholder(v), "{v}");
        }
        // shipgate:allow localhost/* -- unit-test data for the loopback detector
        assert!(has_loopback("http://localhost:3000"));
        assert!(has_loopback("postgres://u:p@127.0.0.1:5432/db"));
        // shipgate:allow localhost/* -- unit-test data for the loopback detector
        assert!(has_loopback("ws://[::1]:8080"));
        assert!(has_loopback("localhost"));
        assert!(!has_loopback("https://localhost.example.com"));
        assert!(!has_loopback("https://api.example.com"));
        assert!(production_like("production"));
        assert!(!production_like("development"));
    }
}
