//! Integration tests: the real binary on fixture trees and real git repos.
#![allow(clippy::unwrap_used)]

mod support;

mod action;
mod config_errors;
mod diff_mode;
mod docs;
mod env;
mod env_precision;
mod fail_closed;
mod fake_github;
mod hook;
mod init;
mod integrity;
mod outputs;
mod production_scope;
mod profiles;
mod protect;
mod publish;
mod release;
mod render;
mod rule_packs;
mod scan_rules;
mod secrets;
mod smoke;
mod smoke_server;
mod suppression;
mod tiny_server;
mod walking;
