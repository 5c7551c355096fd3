#![allow(clippy::unwrap_used)]

use super::super::module::{ImportKind, Imported, ModuleInfo, parse_module};

fn specs(m: &ModuleInfo) -> Vec<(String, ImportKind, bool)> {
    m.imports
        .iter()
        .map(|i| (i.specifier.clone(), i.kind, i.type_only))
        .collect()
}

fn find<'a>(m: &'a ModuleInfo, spec: &str) -> &'a super::super::module::Import {
    m.imports
        .iter()
        .find(|i| i.specifier == spec)
        .unwrap_or_else(|| panic!("no import {spec}: {:?}", specs(m)))
}

#[test]
fn esm_imports_with_bindings_and_positions() {
    let src = r#"import React from "react";
import { useState as useS, useEffect } from 'react';
import * as path from "node:path";
import "./polyfills";
import type { User } from "./types";
import { type Props, type Other } from "./props";
import Default, { named } from "./both";
  import { "string-name" as alias } from "./strnames";
"#;
    let m = parse_module("src/a.tsx", src.as_bytes());
    assert_eq!(m.imports.len(), 8, "{:?}", specs(&m));
    let r = find(&m, "react");
    assert_eq!((r.line, r.column), (1, 19));
    assert_eq!(r.bindings[0].imported, Imported::Default);
    assert_eq!(r.bindings[0].local, "React");
    let named = &m.imports[1];
    assert_eq!(
        named.bindings[0].imported,
        Imported::Named("useState".into())
    );
    assert_eq!(named.bindings[0].local, "useS");
    assert_eq!(named.bindings[1].local, "useEffect");
    assert_eq!(
        find(&m, "node:path").bindings[0].imported,
        Imported::Namespace
    );
    assert_eq!(find(&m, "./polyfills").kind, ImportKind::SideEffect);
    assert!(find(&m, "./types").type_only);
    assert!(
        find(&m, "./props").type_only,
        "all-inline-type import is type-only"
    );
    assert!(!find(&m, "./both").type_only);
    assert_eq!(find(&m, "./both").bindings.len(), 2);
    let s = find(&m, "./strnames");
    assert_eq!(
        s.bindings[0].imported,
        Imported::Named("string-name".into())
    );
    assert_eq!((s.line, s.column), (8, 42));
}

#[test]
fn columns_count_characters_not_bytes() {
    let src = "const é = 'ü'; import x from \"./m\"";
    let m = parse_module("a.js", src.as_bytes());
    assert_eq!((m.imports[0].line, m.imports[0].column), (1, 30));
}

#[test]
fn commonjs_requires() {
    let src = r#"'use strict';
const express = require('express');
const { Router, json: parseJson } = require("express");
const helper = require('./lib/helper').default;
const cfg = require("./config").settings;
var x = foo.require("./not-a-require");
require('./side-effect');
const lazy = () => require(`./lazy`);
const routes = require('./routes/' + name);
const t = require.resolve('./not-imported');
"#;
    let m = parse_module("server.js", src.as_bytes());
    let got = specs(&m);
    assert!(!got.iter().any(|s| s.0 == "./not-a-require"), "{got:?}");
    assert!(!got.iter().any(|s| s.0 == "./not-imported"), "{got:?}");
    let e = &m.imports[1];
    assert_eq!(e.kind, ImportKind::Require);
    assert_eq!(e.bindings.len(), 2);
    assert_eq!(e.bindings[1].imported, Imported::Named("json".into()));
    assert_eq!(e.bindings[1].local, "parseJson");
    assert_eq!(
        find(&m, "express").bindings[0].imported,
        Imported::Namespace
    );
    assert_eq!(
        find(&m, "./lib/helper").bindings[0].imported,
        Imported::Default
    );
    assert_eq!(
        find(&m, "./config").bindings[0].imported,
        Imported::Named("settings".into())
    );
    assert_eq!(find(&m, "./side-effect").kind, ImportKind::Require);
    assert_eq!(find(&m, "./lazy").kind, ImportKind::Require);
    assert_eq!(find(&m, "./routes/*").kind, ImportKind::Glob);
    assert_eq!(find(&m, "./lib/helper").line, 4);
}

#[test]
fn dynamic_imports_globs_and_ts_import_equals() {
    let src = r#"
const Page = lazy(() => import(/* webpackChunkName: "p" */ "./pages/Home"));
const { default: mod } = await import("./mod.js");
const modules = import.meta.glob('./routes/**/*.tsx', { eager: true });
const more = import.meta.glob(['./a/*.ts', '!./a/skip.ts']);
const url = import.meta.url;
const loc = await import(`./locales/${lang}.json`);
import fs = require("fs");
const ctx = require.context('./components', false, /\.vue$/);
const w = new Worker(new URL('./worker.ts', import.meta.url));
x.import("./nope");
"#;
    let m = parse_module("a.ts", src.as_bytes());
    let got = specs(&m);
    assert_eq!(find(&m, "./pages/Home").kind, ImportKind::Dynamic);
    assert_eq!(find(&m, "./mod.js").bindings[0].local, "mod");
    assert_eq!(find(&m, "./mod.js").bindings[0].imported, Imported::Default);
    assert_eq!(find(&m, "./routes/**/*.tsx").kind, ImportKind::Glob);
    assert_eq!(find(&m, "./a/*.ts").kind, ImportKind::Glob);
    assert!(!got.iter().any(|s| s.0.starts_with('!')));
    assert_eq!(find(&m, "./locales/*").kind, ImportKind::Glob);
    assert_eq!(find(&m, "fs").kind, ImportKind::ImportEquals);
    assert_eq!(find(&m, "./components/*").kind, ImportKind::Glob);
    assert_eq!(find(&m, "./worker.ts").kind, ImportKind::Dynamic);
    assert!(!got.iter().any(|s| s.0 == "./nope"), "{got:?}");
}

#[test]
fn re_exports_and_exports() {
    let src = r#"export * from "./a";
export * as ns from "./b";
export { x as y, default as z } from "./c";
export type { T } from "./types";
export { local as external, other };
export const API_URL = "http://localhost:3000";
export let counter = 0;
export function handler() {}
export async function load() {}
export default class Server {}
export class Client {}
export interface Shape {}
export enum Color { Red }
export const { a, b: bb } = obj;
"#;
    let m = parse_module("index.ts", src.as_bytes());
    assert_eq!(find(&m, "./a").kind, ImportKind::ReExportAll);
    assert_eq!(find(&m, "./b").kind, ImportKind::ReExport);
    assert_eq!(find(&m, "./b").bindings[0].imported, Imported::Namespace);
    let c = find(&m, "./c");
    assert_eq!(c.bindings[1].imported, Imported::Default);
    assert_eq!(c.bindings[1].local, "z");
    assert!(find(&m, "./types").type_only);
    let names: Vec<(&str, Option<&str>)> = m
        .exports
        .iter()
        .map(|e| (e.name.as_str(), e.local.as_deref()))
        .collect();
    for want in [
        ("ns", None),
        ("y", None),
        ("z", None),
        ("external", Some("local")),
        ("other", Some("other")),
        ("API_URL", Some("API_URL")),
        ("counter", Some("counter")),
        ("handler", Some("handler")),
        ("load", Some("load")),
        ("default", Some("Server")),
        ("Client", Some("Client")),
        ("Color", Some("Color")),
        ("a", Some("a")),
        ("bb", Some("bb")),
    ] {
        assert!(names.contains(&want), "missing {want:?} in {names:?}");
    }
    assert!(!names.iter().any(|n| n.0 == "Shape" || n.0 == "T"));
}

#[test]
fn export_default_forms() {
    let m = parse_module("a.js", b"const app = express();\nexport default app\n");
    assert_eq!(m.exports[0].local.as_deref(), Some("app"));
    let m = parse_module("a.js", b"export default createApp(config);");
    assert_eq!(m.exports[0].local, None);
    let m = parse_module("a.js", b"export default function App() {}");
    assert_eq!(m.exports[0].local.as_deref(), Some("App"));
    let m = parse_module("a.js", b"export default async function () {}");
    assert_eq!(m.exports[0].local, None);
    let m = parse_module("a.js", b"export default { name: 'x' }");
    assert_eq!(
        (m.exports[0].name.as_str(), m.exports[0].local.as_deref()),
        ("default", None)
    );
}

#[test]
fn commonjs_exports() {
    let src = r#"
module.exports = router;
module.exports.handler = handler;
exports.helper = function () {};
exports.other = other;
module.exports = { start, stop: shutdown, version: "1", routes: require("./routes"), make() { return 1 } };
foo.exports.nope = 1;
if (module.exports == x) {}
"#;
    let m = parse_module("a.js", src.as_bytes());
    let names: Vec<(&str, Option<&str>)> = m
        .exports
        .iter()
        .map(|e| (e.name.as_str(), e.local.as_deref()))
        .collect();
    assert_eq!(
        names,
        vec![
            ("default", Some("router")),
            ("handler", Some("handler")),
            ("helper", None),
            ("other", Some("other")),
            ("default", None),
            ("start", Some("start")),
            ("stop", Some("shutdown")),
            ("version", None),
            ("routes", None),
            ("make", None),
        ]
    );
    assert_eq!(find(&m, "./routes").kind, ImportKind::Require);
}

#[test]
fn syntax_inside_strings_comments_templates_regex_is_ignored() {
    let src = r#"
// import a from "./commented";
/* require("./block") */
const s = "import b from './in-string'";
const t = `import c from './in-template' ${ require("./in-substitution") } tail`;
const re = /import d from '\.\/in-regex'/;
const q = a / b; import e from "./after-division";
const jsx = <p>Don't import f from "./jsx-text"</p>;
import g from "./real";
"#;
    let m = parse_module("a.jsx", src.as_bytes());
    let got: Vec<String> = m.imports.iter().map(|i| i.specifier.clone()).collect();
    assert_eq!(got, vec!["./in-substitution", "./after-division", "./real"]);
}

#[test]
fn html_vue_svelte_astro() {
    let html = r#"<!doctype html>
<html><head><script type="module" src="/src/main.tsx"></script>
<script src="https://cdn.example.com/x.js"></script>
<script type="application/json">{"import": "x"}</script>
<script type="module">import "./inline.js";</script></head></html>"#;
    let m = parse_module("index.html", html.as_bytes());
    let got = specs(&m);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(m.imports[0].kind, ImportKind::HtmlScript);
    assert_eq!(m.imports[0].specifier, "/src/main.tsx");
    assert_eq!((m.imports[0].line, m.imports[0].column), (2, 39));
    assert_eq!(m.imports[1].specifier, "./inline.js");
    assert_eq!(m.imports[1].line, 5);

    let vue = "<template><div>Don't import x from 'y'</div></template>\n<script setup lang=\"ts\">\nimport Child from './Child.vue'\n</script>";
    let m = parse_module("App.vue", vue.as_bytes());
    assert_eq!(
        specs(&m),
        vec![("./Child.vue".to_string(), ImportKind::Static, false)]
    );
    assert_eq!(m.imports[0].line, 3);

    let astro = "---\nimport Layout from '../layouts/Layout.astro';\n---\n<Layout><script>import '../scripts/menu.ts'</script></Layout>";
    let m = parse_module("src/pages/index.astro", astro.as_bytes());
    assert_eq!(m.imports.len(), 2);
}

#[test]
fn files_without_module_syntax_yield_nothing() {
    let m = parse_module("a.js", b"function f() { return 1 }\n");
    assert!(m.imports.is_empty() && m.exports.is_empty());
}

#[test]
fn directory_loaders_become_globs() {
    let sequelize = r#"'use strict';
const fs = require('fs');
const path = require('path');
const basename = path.basename(__filename);
const db = {};
fs.readdirSync(__dirname)
  .filter((file) => file.indexOf('.') !== 0 && file !== basename && file.slice(-3) === '.js')
  .forEach((file) => {
    const model = require(path.join(__dirname, file))(sequelize, Sequelize.DataTypes);
    db[model.name] = model;
  });
module.exports = db;
"#;
    let m = parse_module("models/index.js", sequelize.as_bytes());
    assert_eq!(find(&m, "./*").kind, ImportKind::Glob);
    let m = parse_module("app.js", b"fs.readdirSync(path.join(__dirname, 'routes')).forEach((f) => app.use(require(`./routes/${f}`)));");
    assert!(
        m.imports
            .iter()
            .any(|i| i.specifier == "./routes/*" && i.kind == ImportKind::Glob),
        "{:?}",
        specs(&m)
    );
    let m = parse_module(
        "data-source.ts",
        b"export const ds = new DataSource({ entities: [__dirname + '/**/*.entity{.ts,.js}'] });",
    );
    assert_eq!(find(&m, "./**/*.entity{.ts,.js}").kind, ImportKind::Glob);
    // a plain use of __dirname is not a glob
    let m = parse_module(
        "a.js",
        b"const p = __dirname + '/public'; fs.readdirSync(somewhere);",
    );
    assert!(m.imports.is_empty(), "{:?}", specs(&m));
}
