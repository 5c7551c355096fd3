//! `shipgate init` and `shipgate config schema`.

use super::Ctx;
use crate::error::{Error, Exit, Result};
use std::io::Write;

/// `shipgate init [--force]`.
pub fn init(ctx: &Ctx, force: bool) -> Result<Exit> {
    let root = ctx.root();
    let available = |name: &str| ctx.env.has_program(name);
    let stack = crate::init::detect(&root, &available);
    let files = crate::init::write(&root, &stack, force)?;
    let mut text = String::new();
    for line in stack.summary() {
        text.push_str(&format!("shipgate: {line}\n"));
    }
    for f in files {
        text.push_str(&format!("shipgate: wrote {f}\n"));
    }
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::incomplete(format!("cannot write to standard output: {e}")))?;
    Ok(Exit::Pass)
}

/// `shipgate config schema`.
pub fn schema() -> Result<Exit> {
    print!("{}", crate::config::schema_json());
    Ok(Exit::Pass)
}
