//! shipgate: a release gate for web services.
//!
//! Layers: [`model`] is the one report; [`rules`] and [`scan`] produce findings;
//! [`render`] reads a report; [`app`] and [`cli`] wire them.
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod app;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diag;
pub mod encode;
pub mod env;
pub mod github;
pub mod hook;
pub mod init;
pub mod model;
pub mod protect;
pub mod release;
pub mod render;
pub mod rules;
pub mod scan;
pub mod smoke;
mod toml_doc;
