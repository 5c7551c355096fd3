//! What the analysis knows about a binding, and where evaluation reports what it finds.

use std::rc::Rc;

use super::Via;

/// The abstract value of an expression (only env-related values are tracked).
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Val {
    /// The `process` object (global or imported): `.env` is the environment.
    Process,
    /// An object holding environment variables: `X.NAME` reads `NAME`.
    Env,
    /// A `safeParse`/`validate` result of an env schema: `.data`/`.value` is the environment.
    Parsed,
    /// An instance of a class whose fields are initialised from the environment.
    Instance(Rc<ClassVal>),
    /// Such a class, or a class-validator class (for `new`, `extends`, `plainToInstance`).
    Class(Rc<ClassVal>),
    /// Object literals (a zod/envalid shape or a plain object), as `{` tokens.
    Shape(Rc<[ShapeRef]>),
    /// `import * as ns` of an analysed module (by index).
    Namespace(u32),
}

impl Val {
    /// Values whose module is worth following importers into.
    pub(super) fn env_like(&self) -> bool {
        match self {
            Val::Process | Val::Env | Val::Parsed | Val::Instance(_) => true,
            Val::Class(c) => !c.env_fields.is_empty(),
            Val::Shape(_) | Val::Namespace(_) => false,
        }
    }
}

/// An object literal: module index and token index of its `{`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) struct ShapeRef {
    pub(super) module: u32,
    pub(super) open: u32,
}

/// A class as far as env reads go.
#[derive(Debug, PartialEq)]
pub(super) struct ClassVal {
    /// Module index and token index of `class`.
    pub(super) module: u32,
    pub(super) at: u32,
    /// The class or its file is named like an env definition (`EnvironmentVariables`, `env.validation.ts`).
    pub(super) env_named: bool,
    /// Fields initialised from a read of the same name (own and inherited), sorted.
    pub(super) env_fields: Vec<String>,
    /// Decorated fields without initialiser (class-validator keys): name and byte offset.
    pub(super) schema: Vec<(String, u32)>,
}

/// Where evaluation reports reads, dynamic accesses and schemas tied to the environment.
#[derive(Default)]
pub(super) struct Sink {
    /// Record anything at all (binding evaluation runs with this off).
    pub(super) emit: bool,
    /// Byte offset of the name, name, how.
    pub(super) reads: Vec<(u32, String, Via)>,
    /// Byte offsets of accesses whose name cannot be known.
    pub(super) dynamic: Vec<u32>,
    /// Object shapes parsed against the environment.
    pub(super) shapes: Vec<ShapeRef>,
    /// class-validator classes validated as the environment.
    pub(super) classes: Vec<Rc<ClassVal>>,
}

impl Sink {
    /// A sink that records.
    pub(super) fn recording() -> Sink {
        Sink {
            emit: true,
            ..Sink::default()
        }
    }

    pub(super) fn read(&mut self, off: usize, name: &str, via: Via) {
        if self.emit {
            self.reads.push((off32(off), name.to_string(), via));
        }
    }

    pub(super) fn dynamic(&mut self, off: usize) {
        if self.emit {
            self.dynamic.push(off32(off));
        }
    }

    pub(super) fn shapes(&mut self, s: &[ShapeRef]) {
        if self.emit {
            self.shapes.extend_from_slice(s);
        }
    }

    pub(super) fn class(&mut self, c: &Rc<ClassVal>) {
        if self.emit {
            self.classes.push(Rc::clone(c));
        }
    }
}

pub(super) fn off32(off: usize) -> u32 {
    u32::try_from(off).unwrap_or(u32::MAX)
}
