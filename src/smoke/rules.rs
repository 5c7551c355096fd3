//! The rules of the smoke stage.

use crate::model::{RuleMeta, Severity};

const HELP: &str =
    "Fix the deploy (or the check's expectation in shipgate.toml) and run the smoke stage again.";

macro_rules! rules {
    ($($name:ident = $id:literal, $title:literal, $security:literal, $help:expr;)*) => {
        $(
            #[doc = $title]
            pub const $name: RuleMeta = RuleMeta {
                id: $id,
                title: $title,
                severity: Severity::Error,
                help: $help,
                security: $security,
            };
        )*
        /// Every rule of the smoke stage.
        pub const RULES: &[RuleMeta] = &[$($name),*];
    };
}

rules! {
    STATUS = "smoke/status", "Unexpected HTTP status", false, HELP;
    HEADER = "smoke/header", "Unexpected response header", false, HELP;
    BODY = "smoke/body", "Unexpected response body", false, HELP;
    JSON = "smoke/json", "Unexpected JSON in the response", false, HELP;
    SLOW = "smoke/slow", "Response slower than allowed", false, HELP;
    CAPTURE = "smoke/capture", "Value to capture missing", false, HELP;
    HTTP = "smoke/http", "HTTP check could not be built", false, HELP;
    HEALTH = "smoke/health", "Health check failed", false, "Look at the component the health body reports down (database, cache, queue) and at the deploy's logs; a 200 that says `down` is a failure.";
    NOT_READY = "smoke/not-ready", "Deploy not ready", false, "The deploy did not become ready before the deadline; check its logs, or wait longer with --wait.";
    AUTH_REQUIRED = "smoke/auth-required", "Protected route answered unexpectedly", false, HELP;
    AUTH_OPEN = "smoke/auth-open", "Protected route open without credentials", true, "Require authentication on this route (guard, middleware or policy) before the deploy goes live; this is a security failure.";
    LOGIN = "smoke/login", "Login flow failed", false, HELP;
    WEBHOOK = "smoke/webhook", "Webhook replay failed", false, HELP;
    WEBHOOK_UNVERIFIED = "smoke/webhook-unverified", "Webhook signature not verified", true, "Verify the signature (and timestamp tolerance) of every webhook before acting on it, e.g. stripe.webhooks.constructEvent with the raw body.";
    VERSION = "smoke/version", "Deployed version does not match", false, "The old build may still be serving: wait for the rollout, or check that the deploy picked up this commit.";
    UNREACHABLE = "smoke/unreachable", "Deploy unreachable", false, "Check that the deploy finished and the base URL is right; --wait waits for it with backoff.";
    MUTATION_REFUSED = "smoke/mutation-refused", "Mutating check refused against production", false, "Mutating checks do not run against a base URL marked production unless `allow_mutation = true`.";
    WEBSOCKET = "smoke/websocket", "WebSocket check failed", false, HELP;
    SOCKETIO = "smoke/socketio", "Socket.IO check failed", false, "Check the namespace name, auth middleware and sticky sessions (or use the websocket transport only) on the socket.io server.";
}

/// The metadata of a smoke rule id (unknown ids fall back to `smoke/http`).
pub fn get(id: &str) -> &'static RuleMeta {
    RULES.iter().find(|r| r.id == id).unwrap_or(&HTTP)
}
