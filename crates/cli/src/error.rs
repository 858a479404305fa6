//! Every way a command can fail to run, with its exit code and a hint.

use std::path::PathBuf;

/// A failure to run (exit code 2), as opposed to findings (exit code 1).
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The portfolio could not be loaded at all.
    #[error(transparent)]
    Load(#[from] milepost_load::LoadError),
    /// The session could not be opened (no portfolio, an unknown `--program`).
    #[error(transparent)]
    Session(#[from] milepost_session::SessionError),
    /// Git history could not be read (not a repository, shallow, unknown ref…).
    #[error(transparent)]
    History(#[from] milepost_history::HistoryError),
    /// An argument is invalid beyond what clap checks.
    #[error("{message}")]
    Usage {
        /// What is wrong.
        message: String,
        /// How to fix it.
        hint: Option<String>,
    },
    /// Writing output failed.
    #[error("cannot write `{path}`: {source}")]
    Write {
        /// Where.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// stdout was closed by the reader (`| head`): not an error.
    #[error("broken pipe")]
    BrokenPipe,
    /// Any other I/O error on stdout.
    #[error("cannot write output: {0}")]
    Io(std::io::Error),
}

impl From<milepost_render::RenderError> for CliError {
    fn from(e: milepost_render::RenderError) -> Self {
        CliError::template(&e)
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Self::BrokenPipe
        } else {
            Self::Io(e)
        }
    }
}

impl CliError {
    /// A template that does not render: the user's override (the built-in ones are tested).
    pub fn template(e: &milepost_render::RenderError) -> CliError {
        CliError::usage(
            e.to_string(),
            "fix the template (an undefined name is usually a typo; templates/README.md lists the context), or remove the override to use the built-in one",
        )
    }

    /// A usage error with a hint.
    pub fn usage(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self::Usage {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::BrokenPipe => 0,
            _ => 2,
        }
    }

    /// How to get past the error.
    pub fn hint(&self) -> Option<String> {
        match self {
            Self::Load(e) => Some(e.hint().to_owned()),
            Self::Session(e) => Some(e.hint()),
            Self::History(e) => e.hint(),
            Self::Usage { hint, .. } => hint.clone(),
            Self::Write { .. } => Some("check that the folder exists and is writable".to_owned()),
            Self::BrokenPipe | Self::Io(_) => None,
        }
    }
}
