//! The rules of the env stage.

use crate::model::{RuleMeta, Severity};

const fn rule(
    id: &'static str,
    title: &'static str,
    severity: Severity,
    help: &'static str,
) -> RuleMeta {
    RuleMeta {
        id,
        title,
        severity,
        help,
        security: false,
    }
}

const fn security(meta: RuleMeta) -> RuleMeta {
    RuleMeta {
        security: true,
        ..meta
    }
}

/// Read by code, declared nowhere.
pub const UNDECLARED: RuleMeta = rule(
    "env/undeclared",
    "Variable read by code but not declared",
    Severity::Error,
    "Add it to the template (with an empty or example value and a comment), or declare it in `[env.vars]`. Platform-provided names can be allowed with `[env] allow`.",
);
/// Code reads variables and no template covers it.
pub const NO_TEMPLATE: RuleMeta = rule(
    "env/no-template",
    "No env template for this code",
    Severity::Warning,
    "Add a `.env.example` listing every variable the code reads (next to the package that reads them), or list templates in `[env] templates`.",
);
/// Declared, read by no code.
pub const UNUSED: RuleMeta = rule(
    "env/unused",
    "Declared variable that no code reads",
    Severity::Warning,
    "Remove it from the template, or read it where it is needed. Dynamic access (`process.env[name]`) cannot be followed.",
);
/// A computed variable name.
pub const DYNAMIC_ACCESS: RuleMeta = rule(
    "env/dynamic-access",
    "Computed environment variable name",
    Severity::Note,
    "Prefer literal names (`process.env.API_URL`) or a validated config schema so every variable can be checked.",
);
/// Required and missing in a profile.
pub const MISSING_REQUIRED: RuleMeta = rule(
    "env/missing-required",
    "Required variable missing",
    Severity::Error,
    "Set it before deploying; a missing required variable crashes the server at boot or silently disables a feature.",
);
/// A value that breaks its declaration.
pub const INVALID_VALUE: RuleMeta = rule(
    "env/invalid-value",
    "Invalid value",
    Severity::Error,
    "Fix the value; the declaration is in the template annotations or `[env.vars]`.",
);
/// A placeholder left in a profile.
pub const PLACEHOLDER: RuleMeta = rule(
    "env/placeholder",
    "Placeholder value",
    Severity::Error,
    "Set the real value in the deploy environment.",
);
/// localhost in a production-like profile.
pub const LOOPBACK: RuleMeta = rule(
    "env/loopback-in-production",
    "Loopback address in a production profile",
    Severity::Error,
    "Set the real service URL; if loopback is intended (a sidecar), declare the variable with `allow_loopback = true`.",
);
/// A committed env file the bundler loads into production builds points a
/// client variable at localhost.
pub const LOOPBACK_IN_BUNDLE: RuleMeta = rule(
    "env/loopback-in-client-bundle",
    "Loopback URL in an env file the production build loads",
    Severity::Error,
    "The bundler (Vite, Next.js, …) loads the committed `.env` and `.env.production` into `vite build`/`next build`, so this localhost URL ships to every user. Move it to `.env.development` or `.env.local` (not committed) and set the production value in the build environment.",
);
/// A template that `.gitignore` keeps out of the repository.
pub const TEMPLATE_IGNORED: RuleMeta = rule(
    "env/template-ignored",
    "Env template ignored by .gitignore",
    Severity::Warning,
    "Add `!.env.example` (or the template's name) to .gitignore after the pattern that hides it, and commit the template: without it a fresh clone does not know which variables to set.",
);
/// A bypass or debug switch on.
pub const FORBIDDEN_FLAG: RuleMeta = security(rule(
    "env/forbidden-flag",
    "Bypass or debug switch on in a production profile",
    Severity::Error,
    "Set it to `false` or remove it from production-like profiles; keep it in `.env.local`/`.env.development` only.",
));
/// A secret with a client prefix.
pub const EXPOSED_SECRET: RuleMeta = security(rule(
    "env/exposed-secret",
    "Secret with a client-bundle prefix",
    Severity::Error,
    "Drop the prefix and use the secret only on the server (an API route, Edge Function or backend). If the value is public by design, declare it with `secret = false` or list it in `[env] public`.",
));
/// A server secret read from front-end code.
pub const SECRET_IN_CLIENT: RuleMeta = security(rule(
    "env/secret-in-client-code",
    "Server secret read from front-end code",
    Severity::Error,
    "Call a server endpoint that uses the secret instead; front-end code ends up in the browser. Adjust `[env] client_paths` if this file runs only on the server.",
));
/// A real secret value in a tracked env file.
pub const COMMITTED_SECRET: RuleMeta = security(rule(
    "env/committed-secret",
    "Secret value committed in an env file",
    Severity::Error,
    "Rotate the secret (it is in the git history), leave the value empty in committed files and set it in the deploy platform or a secret store.",
));
/// A line dotenv ignores.
pub const MALFORMED_LINE: RuleMeta = rule(
    "env/malformed-line",
    "Malformed env file line",
    Severity::Error,
    "Write `KEY=value`; quote values with spaces or `#`.",
);
/// A key set twice.
pub const DUPLICATE_KEY: RuleMeta = rule(
    "env/duplicate-key",
    "Variable set twice",
    Severity::Warning,
    "Remove one of the assignments so the file says what it means.",
);
/// An annotation shipgate does not know.
pub const UNKNOWN_ANNOTATION: RuleMeta = rule(
    "env/unknown-annotation",
    "Unknown template annotation",
    Severity::Warning,
    "Known: @required, @required=prod,staging, @optional, @secret, @public, @type=<string|int|port|bool|url|email|enum|hex|base64>, @min_length=N, @pattern=REGEX, @values=a|b, @allow_loopback.",
);
/// A profile named by a gate profile with no file.
pub const PROFILE_NOT_CHECKED: RuleMeta = rule(
    "env/profile-not-checked",
    "Profile file not found",
    Severity::Note,
    "Commit a .env.<profile> without secret values, or run `shipgate env --from-process` in the deploy job.",
);
/// An env file or code file that could not be read.
pub const UNREADABLE: RuleMeta = rule(
    "env/unreadable-file",
    "Env file could not be read",
    Severity::Error,
    "Fix the file's permissions; the env check is incomplete until it can be read.",
);

/// Every rule of the env stage (one JUnit testcase each).
pub const RULES: &[RuleMeta] = &[
    UNDECLARED,
    NO_TEMPLATE,
    UNUSED,
    DYNAMIC_ACCESS,
    MISSING_REQUIRED,
    INVALID_VALUE,
    PLACEHOLDER,
    LOOPBACK,
    LOOPBACK_IN_BUNDLE,
    FORBIDDEN_FLAG,
    EXPOSED_SECRET,
    SECRET_IN_CLIENT,
    COMMITTED_SECRET,
    MALFORMED_LINE,
    DUPLICATE_KEY,
    UNKNOWN_ANNOTATION,
    PROFILE_NOT_CHECKED,
    TEMPLATE_IGNORED,
    UNREADABLE,
];
