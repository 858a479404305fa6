//! Commit metadata for change control: who, when, which pull request, which trailers.
//!
//! Pull-request numbers are read from the messages forges write: a squash merge's subject
//! ends with `(#42)`, a merge commit's subject is `Merge pull request #42 from …`, and GitLab
//! writes `See merge request group/project!42`. Trailers (`Reviewed-by:`, `Approved-by:`)
//! are read with libgit2's trailer parser, so they follow git's own rules.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

/// One commit, as an auditor reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct CommitInfo {
    /// The full commit id.
    pub id: String,
    /// The author's name.
    pub author: String,
    /// The author's e-mail address.
    pub email: String,
    /// When the change was authored.
    pub author_time: DateTime<FixedOffset>,
    /// The committer's name (who put it on the branch: the person or bot that merged).
    pub committer: String,
    /// The committer's e-mail address.
    pub committer_email: String,
    /// When it was committed (landed on the branch), in the committer's time zone.
    pub time: DateTime<FixedOffset>,
    /// The first line of the message.
    pub summary: String,
    /// The whole message.
    pub message: String,
    /// The pull-request number, when the message names one.
    pub pr: Option<u64>,
    /// The message's trailers, `(key, value)` in order.
    pub trailers: Vec<(String, String)>,
    /// Whether it carries a signature (a `gpgsig` header: GPG, SSH or X.509), read with the
    /// rest of the commit. Not verified: that needs the signers' keys.
    #[serde(default)]
    pub signed: bool,
}

impl CommitInfo {
    /// Reads a commit's metadata.
    pub fn of(commit: &git2::Commit<'_>) -> CommitInfo {
        let author = commit.author();
        let committer = commit.committer();
        let message = String::from_utf8_lossy(commit.message_bytes()).into_owned();
        let summary = message.lines().next().unwrap_or_default().trim().to_owned();
        let trailers = git2::message_trailers_strs(&message)
            .map(|t| {
                t.iter()
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect()
            })
            .unwrap_or_default();
        CommitInfo {
            id: commit.id().to_string(),
            author: lossy(author.name_bytes()),
            email: lossy(author.email_bytes()),
            author_time: to_datetime(author.when()),
            committer: lossy(committer.name_bytes()),
            committer_email: lossy(committer.email_bytes()),
            time: to_datetime(commit.time()),
            pr: parse_pr(&message),
            summary,
            message,
            trailers,
            signed: commit.header_field_bytes("gpgsig").is_ok(),
        }
    }

    /// The abbreviated id (7 characters).
    pub fn short(&self) -> &str {
        &self.id[..self.id.len().min(7)]
    }

    /// The calendar day it was committed, in the committer's time zone.
    pub fn date(&self) -> NaiveDate {
        self.time.date_naive()
    }

    /// The values of a trailer (`Reviewed-by`), matched without regard to case.
    pub fn trailer(&self, key: &str) -> Vec<&str> {
        self.trailers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Whether the commit came through change control: a pull request (its number in the
    /// message) with at least one `Approved-by` trailer.
    pub fn approved(&self) -> bool {
        self.pr.is_some() && !self.trailer("Approved-by").is_empty()
    }
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A git time as a date-time in its own offset (UTC when the offset is out of range).
pub(crate) fn to_datetime(time: git2::Time) -> DateTime<FixedOffset> {
    let offset = FixedOffset::east_opt(time.offset_minutes() * 60)
        .unwrap_or_else(|| FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!()));
    DateTime::from_timestamp(time.seconds(), 0)
        .unwrap_or_default()
        .with_timezone(&offset)
}

/// The pull-request number in a commit message: `Merge pull request #42 from …`, a subject
/// ending in `(#42)` (a squash merge), or GitLab's `See merge request group/project!42`.
pub fn parse_pr(message: &str) -> Option<u64> {
    let subject = message.lines().next().unwrap_or_default();
    if let Some(rest) = subject.split("Merge pull request #").nth(1)
        && let Some(n) = leading_number(rest)
    {
        return Some(n);
    }
    if let Some(pos) = subject.rfind("(#") {
        let rest = &subject[pos + 2..];
        if let Some(n) = leading_number(rest) {
            let digits = n.to_string().len();
            if rest[digits..].starts_with(')') {
                return Some(n);
            }
        }
    }
    message
        .lines()
        .filter_map(|l| l.trim().strip_prefix("See merge request "))
        .find_map(|r| r.rsplit('!').next().and_then(leading_number))
}

fn leading_number(text: &str) -> Option<u64> {
    let digits: &str = &text[..text.bytes().take_while(u8::is_ascii_digit).count()];
    if digits.is_empty() || (digits.len() > 1 && digits.starts_with('0')) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::parse_pr;

    #[test]
    fn reads_pull_request_numbers() {
        assert_eq!(parse_pr("Move M2 target (#42)"), Some(42));
        assert_eq!(parse_pr("Move M2 (#41) again (#42)\n\nbody (#7)"), Some(42));
        assert_eq!(
            parse_pr("Merge pull request #7 from acme/slip-m2\n\nSlip M2"),
            Some(7)
        );
        assert_eq!(
            parse_pr("Slip M2\n\nSee merge request acme/portfolio!13"),
            Some(13)
        );
        assert_eq!(parse_pr("Fix #12 and (#x)"), None);
        assert_eq!(parse_pr("Bump (#12"), None);
        assert_eq!(parse_pr(""), None);
    }
}
