//! What a JS/TS project ships: production = the files its deploy entrypoints reach.
//!
//! Pure analysis: the caller hands in the repository's file list (repository-relative,
//! `/`-separated, as `git ls-files` prints) and a reader closure; nothing here lists
//! directories or opens files.
//!
//! - [`parse_module`]: imports/exports of one file via a linear, panic-free lexer-lite
//!   (comments, strings, nested templates, regex-vs-division heuristic).
//! - [`Resolver`]: specifier → repository file (relative + extensions + `index`, TS
//!   `.js`→`.ts`, package.json `main`/`module`/`source`/`exports`/`imports`, tsconfig or
//!   jsconfig `baseUrl`/`paths` with `extends` and solution-style `references`, Vite
//!   `resolve.alias`, SvelteKit `$lib`, Nuxt `~`, workspace packages by name, and missing
//!   build output → source: `dist/main.js` → `src/main.ts`).
//! - [`entrypoints`]: package.json entry fields and start/serve/build/dev scripts (commands
//!   are parsed: `node`, `tsx`, `ts-node`, `nodemon`, `bun`, `deno`, `pm2`, `npm run`,
//!   `cd`, `concurrently`, bundler inputs, framework CLIs), framework conventions (Next.js,
//!   NestJS, Vite, CRA, Nuxt, SvelteKit, Remix, Astro, Expo), Dockerfiles (`CMD`/`ENTRYPOINT`
//!   mapped through `WORKDIR`/`COPY`, `COPY`'d files and directories as shipped roots),
//!   Procfile, Railway, Render, Fly, CapRover, Netlify, Vercel, nixpacks, App Engine,
//!   Supabase/Netlify function folders, and user globs.
//! - [`ships`] / [`ships_subset`]: reachability over static, CommonJS, dynamic-literal,
//!   glob and re-export imports (never type-only ones), one shortest chain per shipped
//!   file; a budgeted mode for diff scans. [`explain_text`] renders `--explain-scope`.
//! - [`env_reads`]: environment variables read directly and through config modules (env
//!   objects, `new Environment()` instances, zod/envalid/t3/class-validator schema keys).
//!
//! Decisions worth knowing:
//! - A package (nearest `package.json`, or the repository root without one) with no
//!   entrypoint is *undecided* (the caller's globs apply) — except a package that contains
//!   other packages (a workspace root): once anything in the repository has an entrypoint,
//!   its loose files (ad-hoc root scripts) are decided, shipped only if reached.
//! - Only JS/TS-family files can be "not shipped"; other unreached files are undecided.
//! - tsconfig `include` is ignored (it routinely covers tests and scripts); tsconfig `files`
//!   and a top-level `api/` folder without Vercel config are *weak* entrypoints: they mark
//!   files shipped but never make a package decided.
//! - Scripts read: `start`, `serve`, `server`, `preview`, `prod`, `production`, `main`,
//!   `worker`, `dev`, `build` and their `name:variant` forms (never names containing
//!   `test`/`lint`); in `build` scripts only bundler inputs and framework CLIs count, not
//!   build tools run with `node`.

mod command;
mod deploy;
mod entry;
mod envflow;
mod explain;
mod files;
mod jsonc;
mod lexer;
mod module;
mod project;
mod resolve;
mod ships;

pub use self::entry::{Entrypoint, entrypoints};
pub use self::envflow::{EnvFlow, EnvRead, Via, env_reads};
pub use self::explain::explain_text;
pub use self::module::{Binding, Export, Import, ImportKind, Imported, ModuleInfo, parse_module};
pub use self::resolve::Resolver;
pub use self::ships::{
    Budget, Decision, Explanation, PackageRef, Ships, UndecidedReason, ships, ships_subset,
    ships_subset_with,
};

#[cfg(test)]
mod tests;
