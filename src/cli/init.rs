//! `shipgate init` and `shipgate config schema`.

use super::Ctx;
use crate::error::{Exit, Result};

/// `shipgate init [--force]`.
pub fn init(ctx: &Ctx, force: bool) -> Result<Exit> {
    let root = ctx.root();
    let stack = crate::init::detect(&root);
    let files = crate::init::write(&root, &stack, force)?;
    if !stack.frameworks.is_empty() {
        println!("shipgate: detected {}", stack.frameworks.join(", "));
    }
    for f in files {
        println!("shipgate: wrote {f}");
    }
    Ok(Exit::Pass)
}

/// `shipgate config schema`.
pub fn schema() -> Result<Exit> {
    print!("{}", crate::config::schema_json());
    Ok(Exit::Pass)
}
