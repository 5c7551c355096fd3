//! shipgate: a release gate for web services.
//!
//! Layers (docs/architecture.md): [`model`] is the one report; the stages
//! ([`scan`], [`env`], [`smoke`], [`protect`], [`commands`], [`release`])
//! produce findings; [`gate`] runs a [`gate::Plan`] and applies [`suppress`];
//! [`render`] reads a report; [`cli`] builds plans from flags and the
//! environment. Bottom modules shared by several layers: [`git`], [`glob`],
//! [`secrets`], [`retry`], [`walk`], [`toml_doc`], [`diag`], [`date`].
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod ci;
pub mod cli;
pub mod commands;
pub mod config;
pub mod date;
pub mod diag;
pub mod encode;
pub mod env;
pub mod error;
pub mod gate;
pub mod git;
pub mod github;
pub mod glob;
pub mod hook;
pub mod init;
pub mod integrity;
pub mod js;
pub mod markdown;
pub mod model;
pub mod protect;
pub mod registry;
pub mod release;
pub mod render;
pub mod retry;
pub mod routes;
pub mod rules;
pub mod scan;
pub mod secrets;
pub mod smoke;
pub mod suppress;
pub mod toml_doc;
pub mod walk;
