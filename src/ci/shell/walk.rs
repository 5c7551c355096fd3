//! The walk over the syntax tree: tracks the working directory (`cd`, `pushd`, `popd`) and
//! `set -e`/`-o pipefail`, and decides for every simple command what guards its failure.

use super::MAX_DEPTH;
use super::ast::{Elem, Item, ListAst};
use super::guards::{AndOr, always_succeeds, and_or_outcomes, item_reads_status};
use super::{Command, Guard, Op, ShellOptions, Word, resolve_dir};

/// Walk the parsed list with the starting options; the simple commands in source order.
pub(super) fn walk(list: &ListAst, opts: &ShellOptions) -> Vec<Command> {
    let mut w = Walker {
        out: Vec::new(),
        posix: opts.posix,
    };
    let mut st = State {
        errexit: opts.errexit,
        pipefail: opts.pipefail,
        explicit_off: false,
        cwd: opts.cwd.clone(),
        dirs: Vec::new(),
    };
    let ctx = Ctx {
        on_fail: Flow::Fails,
        exit: Flow::Fails,
        ignored: false,
    };
    w.list(list, &ctx, &mut st, 0);
    w.out
}

/// Where a failure goes: it fails the script, or something guards it.
#[derive(Debug, Clone)]
enum Flow {
    Fails,
    Guarded(Guard),
}

struct Ctx {
    /// What a non-zero status of the list as a whole leads to.
    on_fail: Flow,
    /// What an exit of the current (sub)shell leads to.
    exit: Flow,
    /// errexit is ignored in this context (left of `&&`/`||`, conditions, `!`).
    ignored: bool,
}

#[derive(Debug, Clone)]
struct State {
    errexit: bool,
    pipefail: bool,
    explicit_off: bool,
    cwd: Option<String>,
    dirs: Vec<Option<String>>,
}

struct Walker {
    out: Vec<Command>,
    posix: bool,
}

impl Walker {
    fn list(&mut self, list: &ListAst, ctx: &Ctx, st: &mut State, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let n = list.items.len();
        // Suffix facts: does a later item read `$?`; do all later items always succeed?
        let mut reads_after = vec![false; n];
        let mut rest_true = vec![true; n];
        let (mut reads, mut all_true) = (false, true);
        for (k, item) in list.items.iter().enumerate().rev() {
            if let (Some(r), Some(t)) = (reads_after.get_mut(k), rest_true.get_mut(k)) {
                *r = reads;
                *t = all_true;
            }
            reads |= item_reads_status(item, 0);
            all_true &= always_succeeds(item);
        }
        for (k, item) in list.items.iter().enumerate() {
            let info = ItemInfo {
                last: k + 1 == n,
                reads_after: reads_after.get(k).copied().unwrap_or(false),
                rest_true: rest_true.get(k).copied().unwrap_or(false),
            };
            self.item(item, &info, ctx, st, depth);
        }
    }

    fn item(&mut self, item: &Item, info: &ItemInfo, ctx: &Ctx, st: &mut State, depth: usize) {
        let m = item.pipes.len();
        let chains = and_or_outcomes(item);
        for (i, pipe) in item.pipes.iter().enumerate() {
            let chain = chains
                .get(i)
                .cloned()
                .unwrap_or(AndOr::FailEnd { final_fail: true });
            let flow = self.pipe_flow(&chain, item, info, ctx, st);
            let ignored = ctx.ignored || i + 1 < m || pipe.negated;
            let q = pipe.elems.len();
            for (j, elem) in pipe.elems.iter().enumerate() {
                let f = if pipe.negated {
                    Flow::Guarded(Guard::Negated)
                } else if j + 1 < q && !st.pipefail && self.posix {
                    Flow::Guarded(Guard::PipeNoPipefail)
                } else {
                    flow.clone()
                };
                let op_after = if j + 1 < q {
                    Some(Op::Pipe)
                } else if i + 1 < m {
                    item.ops.get(i).copied()
                } else {
                    item.sep
                };
                let ectx = Ctx {
                    on_fail: f,
                    exit: ctx.exit.clone(),
                    ignored,
                };
                if q > 1 {
                    let mut st2 = st.clone();
                    self.elem(elem, &ectx, op_after, &mut st2, depth);
                } else {
                    self.elem(elem, &ectx, op_after, st, depth);
                }
            }
        }
    }

    /// What happens when pipeline `i` of `item` fails (everything else succeeding).
    fn pipe_flow(
        &self,
        chain: &AndOr,
        item: &Item,
        info: &ItemInfo,
        ctx: &Ctx,
        st: &State,
    ) -> Flow {
        let final_fail = match chain {
            AndOr::Masked(g) => return Flow::Guarded(g.clone()),
            AndOr::Unknown(t) => return Flow::Guarded(Guard::Fallback(t.clone())),
            AndOr::Exit => return ctx.exit.clone(),
            AndOr::FailEnd { final_fail } => *final_fail,
        };
        if item.sep == Some(Op::Background) {
            return Flow::Guarded(Guard::Background);
        }
        if !self.posix {
            return if info.last {
                ctx.on_fail.clone()
            } else {
                Flow::Fails
            };
        }
        let errexit = st.errexit && !ctx.ignored;
        if errexit && final_fail {
            return ctx.exit.clone();
        }
        if info.last {
            return ctx.on_fail.clone();
        }
        if info.reads_after {
            return Flow::Guarded(Guard::StatusInspected);
        }
        Flow::Guarded(if errexit {
            Guard::ShortCircuit
        } else if st.explicit_off {
            Guard::ErrexitOff
        } else if info.rest_true {
            Guard::ThenTrue
        } else {
            Guard::StatusDiscarded
        })
    }

    fn elem(&mut self, e: &Elem, ctx: &Ctx, op_after: Option<Op>, st: &mut State, depth: usize) {
        match e {
            Elem::Simple { env, words } => self.simple(env, words, ctx, op_after, st),
            Elem::Group { subshell, body } => {
                let inner = Ctx {
                    on_fail: ctx.on_fail.clone(),
                    exit: if *subshell {
                        ctx.on_fail.clone()
                    } else {
                        ctx.exit.clone()
                    },
                    ignored: ctx.ignored,
                };
                if *subshell {
                    let mut st2 = st.clone();
                    self.list(body, &inner, &mut st2, depth + 1);
                } else {
                    self.list(body, &inner, st, depth + 1);
                }
            }
            Elem::Function { body } => {
                let inner = Ctx {
                    on_fail: Flow::Guarded(Guard::InFunction),
                    exit: Flow::Guarded(Guard::InFunction),
                    ignored: false,
                };
                let mut st2 = st.clone();
                self.elem(body, &inner, None, &mut st2, depth + 1);
            }
            Elem::If { conds, bodies } => {
                let cond_ctx = Ctx {
                    on_fail: Flow::Guarded(Guard::Condition),
                    exit: ctx.exit.clone(),
                    ignored: true,
                };
                let body_ctx = Ctx {
                    on_fail: ctx.on_fail.clone(),
                    exit: ctx.exit.clone(),
                    ignored: ctx.ignored,
                };
                let mut ci = conds.iter();
                for b in bodies {
                    if let Some(c) = ci.next() {
                        self.list(c, &cond_ctx, st, depth + 1);
                    }
                    self.list(b, &body_ctx, st, depth + 1);
                }
            }
            Elem::Loop { cond, body } => {
                let cond_ctx = Ctx {
                    on_fail: Flow::Guarded(Guard::Condition),
                    exit: ctx.exit.clone(),
                    ignored: true,
                };
                self.list(cond, &cond_ctx, st, depth + 1);
                self.list(body, ctx, st, depth + 1);
            }
            Elem::Case { arms } => {
                for a in arms {
                    self.list(a, ctx, st, depth + 1);
                }
            }
        }
    }

    fn simple(
        &mut self,
        env: &[Word],
        words: &[Word],
        ctx: &Ctx,
        op_after: Option<Op>,
        st: &mut State,
    ) {
        let Some(first) = words.first() else {
            return;
        };
        let guarded_by = match &ctx.on_fail {
            Flow::Fails => None,
            Flow::Guarded(g) => Some(g.clone()),
        };
        let head = env.first().unwrap_or(first);
        self.out.push(Command {
            env: env.to_vec(),
            words: words.to_vec(),
            cwd: st.cwd.clone(),
            op_after,
            guarded_by,
            line: head.line,
            column: head.column,
        });
        let args = words.get(1..).unwrap_or(&[]);
        match first.text.as_str() {
            "cd" => {
                let target = args
                    .iter()
                    .find(|w| !w.text.starts_with('-') || w.text == "-");
                st.cwd = match target {
                    Some(t) => resolve_dir(st.cwd.as_deref(), &t.text),
                    None => None,
                };
            }
            "pushd" => {
                if let Some(t) = args.iter().find(|w| !w.text.starts_with(['-', '+'])) {
                    st.dirs.push(st.cwd.clone());
                    st.cwd = resolve_dir(st.cwd.as_deref(), &t.text);
                }
            }
            "popd" => {
                if let Some(d) = st.dirs.pop() {
                    st.cwd = d;
                }
            }
            "set" => apply_set(args, st),
            _ => {}
        }
    }
}

struct ItemInfo {
    last: bool,
    reads_after: bool,
    rest_true: bool,
}

fn apply_set(args: &[Word], st: &mut State) {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let t = a.text.as_str();
        let (on, flags) = match t.chars().next() {
            Some('-') => (true, t.get(1..).unwrap_or("")),
            Some('+') => (false, t.get(1..).unwrap_or("")),
            _ => continue,
        };
        if flags.starts_with('-') {
            continue;
        }
        for f in flags.chars() {
            match f {
                'e' => {
                    st.errexit = on;
                    if !on {
                        st.explicit_off = true;
                    }
                }
                'o' => match it.next().map(|w| w.text.as_str()) {
                    Some("errexit") => {
                        st.errexit = on;
                        if !on {
                            st.explicit_off = true;
                        }
                    }
                    Some("pipefail") => st.pipefail = on,
                    _ => {}
                },
                _ => {}
            }
        }
    }
}
