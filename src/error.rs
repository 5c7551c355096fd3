//! The one error type and the exit codes. Whether something is a usage error
//! (exit 2) or could not complete (exit 3) is decided by the variant, here only.

use crate::diag::SourceErrors;

/// What went wrong, classified by whose fault it is.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad flags, a bad config value, a file the user named that does not exist: exit 2.
    #[error("{0}")]
    Usage(String),
    /// Located errors in shipgate.toml or rule packs, all of them: exit 2.
    #[error("{0}")]
    Config(SourceErrors),
    /// The run could not complete (I/O, git, network, API): exit 3.
    #[error("{0}")]
    Incomplete(String),
}

impl Error {
    /// A usage error.
    pub fn usage(msg: impl Into<String>) -> Self {
        Error::Usage(msg.into())
    }

    /// A could-not-complete error.
    pub fn incomplete(msg: impl Into<String>) -> Self {
        Error::Incomplete(msg.into())
    }

    /// The exit this error maps to.
    pub fn exit(&self) -> Exit {
        match self {
            Error::Usage(_) | Error::Config(_) => Exit::Usage,
            Error::Incomplete(_) => Exit::Incomplete,
        }
    }
}

impl From<SourceErrors> for Error {
    fn from(e: SourceErrors) -> Self {
        Error::Config(e)
    }
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How a run ended; the binary maps it to the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: passed.
    Pass,
    /// 1: findings at or above `fail_on` (or failing rule examples, or a plan with changes).
    Fail,
    /// 2: bad flags, config or rule pack.
    Usage,
    /// 3: could not complete.
    Incomplete,
}

impl Exit {
    /// The documented exit code.
    pub fn code(self) -> u8 {
        match self {
            Exit::Pass => 0,
            Exit::Fail => 1,
            Exit::Usage => 2,
            Exit::Incomplete => 3,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_decide_the_exit_code() {
        assert_eq!(Error::usage("x").exit().code(), 2);
        assert_eq!(Error::Config(SourceErrors::default()).exit().code(), 2);
        assert_eq!(Error::incomplete("x").exit().code(), 3);
        assert_eq!(Exit::Pass.code(), 0);
        assert_eq!(Exit::Fail.code(), 1);
    }
}
