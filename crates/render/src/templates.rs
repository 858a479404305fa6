//! The templates: embedded defaults from the repository's `templates/` folder, overridden
//! file by file, and the minijinja environment they run in.
//!
//! - **Embedded.** Every default template is compiled into the binary (`include_str!`), so
//!   `milepost render` works anywhere without a templates folder.
//! - **Overridden file by file.** A portfolio's own `templates/` folder, or `--templates
//!   DIR`, may hold any of the same file names (`summary.md`, `style.css`, `base.html`…);
//!   each one found replaces that template only. The CLI reads those folders and hands the
//!   texts in with [`Templates::with_override`]; this crate does no I/O.
//! - **Escaping is automatic.** `*.html` templates autoescape HTML. `*.md` templates
//!   autoescape for Markdown ([`crate::escape::markdown`]: table-safe, no raw HTML). Charts
//!   and Mermaid code are passed in as safe strings. `none` prints as `—`.
//! - **Strict.** An undefined variable or attribute is an error, so a typo in a template
//!   fails the tests (and the command, with the template name and line) instead of
//!   rendering an empty string.

use std::collections::BTreeMap;
use std::sync::Arc;

use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, Error, State, UndefinedBehavior};

use crate::escape;

/// The default templates, by name, as compiled into the binary.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("base.html", include_str!("../../../templates/base.html")),
    ("style.css", include_str!("../../../templates/style.css")),
    (
        "macros.html",
        include_str!("../../../templates/macros.html"),
    ),
    (
        "charter.html",
        include_str!("../../../templates/charter.html"),
    ),
    (
        "summary.html",
        include_str!("../../../templates/summary.html"),
    ),
    ("raid.html", include_str!("../../../templates/raid.html")),
    (
        "portfolio.html",
        include_str!("../../../templates/portfolio.html"),
    ),
    ("charter.md", include_str!("../../../templates/charter.md")),
    ("summary.md", include_str!("../../../templates/summary.md")),
    ("raid.md", include_str!("../../../templates/raid.md")),
    (
        "portfolio.md",
        include_str!("../../../templates/portfolio.md"),
    ),
    (
        "review.html",
        include_str!("../../../templates/review.html"),
    ),
    ("review.md", include_str!("../../../templates/review.md")),
    (
        "scorecard.html",
        include_str!("../../../templates/scorecard.html"),
    ),
    (
        "scorecard.md",
        include_str!("../../../templates/scorecard.md"),
    ),
];

/// A set of templates: the embedded defaults plus any overrides.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    overrides: BTreeMap<String, String>,
}

impl Templates {
    /// The embedded defaults only.
    pub fn embedded() -> Self {
        Self::default()
    }

    /// Replaces the template `name` (`summary.md`) with `text`. Later calls win, so add the
    /// lowest-priority folder first.
    #[must_use]
    pub fn with_override(mut self, name: impl Into<String>, text: impl Into<String>) -> Self {
        self.overrides.insert(name.into(), text.into());
        self
    }

    /// Whether `name` is one of the embedded templates (an override of anything else is
    /// only reachable from another template's `include`/`extends`).
    pub fn is_known(name: &str) -> bool {
        EMBEDDED.iter().any(|(n, _)| *n == name)
    }

    /// The names of the overridden templates.
    pub fn overridden(&self) -> impl Iterator<Item = &str> {
        self.overrides.keys().map(String::as_str)
    }

    /// The text of a template: the override, else the embedded default.
    pub fn source(&self, name: &str) -> Option<&str> {
        self.overrides
            .get(name)
            .map(String::as_str)
            .or_else(|| EMBEDDED.iter().find(|(n, _)| *n == name).map(|(_, t)| *t))
    }
}

/// The auto-escape name of Markdown templates.
const MARKDOWN: &str = "markdown";

fn auto_escape(name: &str) -> AutoEscape {
    let lower = name.to_ascii_lowercase();
    let base = lower.strip_suffix(".j2").unwrap_or(&lower);
    match base.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html" | "htm" | "svg") => AutoEscape::Html,
        Some("md") => AutoEscape::Custom(MARKDOWN.into()),
        _ => AutoEscape::None,
    }
}

/// `in_progress` → `in progress`.
fn label(value: &str) -> String {
    value.replace('_', " ")
}

/// `5` → `+5`, `-3` → `−3`, `0` → `0`: a signed count of days.
fn signed(value: i64) -> String {
    match value {
        v if v > 0 => format!("+{v}"),
        v if v < 0 => format!("−{}", v.unsigned_abs()),
        _ => "0".to_owned(),
    }
}

/// A link target that cannot run script: `http(s):`, `mailto:` or a relative path are
/// kept (with spaces, quotes, brackets and pipes percent-encoded so they cannot break the
/// Markdown or HTML around them); anything else (`javascript:`, `data:`…) becomes `#`.
fn href(value: &str) -> String {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    let scheme_end = v.find(':');
    let first_sep = v.find(['/', '?', '#']);
    let has_scheme = match (scheme_end, first_sep) {
        (Some(c), Some(s)) => c < s,
        (Some(_), None) => true,
        _ => false,
    };
    let allowed = !has_scheme
        || lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("mailto:");
    if !allowed {
        return "#".to_owned();
    }
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '"' => out.push_str("%22"),
            '\'' => out.push_str("%27"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '|' => out.push_str("%7C"),
            '`' => out.push_str("%60"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Whether a value looks like a link (for evidence fields that may be a URL or a note).
fn is_url(value: &str) -> bool {
    let lower = value.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

fn formatter(out: &mut minijinja::Output, state: &mut State, value: &Value) -> Result<(), Error> {
    if value.is_none() {
        return out.write_str("—").map_err(Error::from);
    }
    if let AutoEscape::Custom(name) = state.auto_escape()
        && name == MARKDOWN
    {
        let text = if value.is_safe() {
            value.to_string()
        } else {
            escape::markdown(&value.to_string())
        };
        return out.write_str(&text).map_err(Error::from);
    }
    if *state.auto_escape() == AutoEscape::Html && !value.is_safe() {
        // minijinja also escapes `/` (as `&#x2f;`); links read better without that, and
        // `<`, `>`, `&`, `"` and `'` are all that text and quoted attributes need.
        return out
            .write_str(&escape::xml(&value.to_string()))
            .map_err(Error::from);
    }
    minijinja::escape_formatter(out, state, value)
}

/// Template instructions one page may execute. The built-in templates need under 100,000 for
/// any page of a 300-program site (measured); a template that loops without end (a nested
/// `range(100000)`) stops with "engine ran out of fuel" within a second or two instead of
/// running forever.
pub const FUEL: u64 = 20_000_000;

/// The largest page a template may produce, and the largest string `join` may build (bytes).
/// Far above any real report; a template that tries to build more stops with an error
/// instead of exhausting memory.
pub const MAX_OUTPUT_BYTES: usize = 256 * 1024 * 1024;

/// `join`, bounded: the built-in filter, after checking that the result cannot exceed
/// [`MAX_OUTPUT_BYTES`] (a long list joined with a long separator is the cheapest way to ask
/// for gigabytes).
fn bounded_join(
    state: &mut State,
    value: &Value,
    joiner: Option<minijinja::value::StringInput<'_>>,
    attribute: Option<&str>,
    kwargs: minijinja::value::Kwargs,
) -> Result<Value, Error> {
    let items = value.len().unwrap_or(0);
    let separator = joiner.as_ref().map_or(0, |j| j.as_str().len());
    let item_bytes: usize = value
        .try_iter()
        .map_or(0, |it| it.map(|v| v.as_str().map_or(32, str::len)).sum());
    if items.saturating_mul(separator).saturating_add(item_bytes) > MAX_OUTPUT_BYTES {
        return Err(Error::new(
            minijinja::ErrorKind::InvalidOperation,
            format!("join would build more than {MAX_OUTPUT_BYTES} bytes"),
        ));
    }
    minijinja::filters::join(state, value, joiner, attribute, kwargs)
}

/// A writer that refuses to grow past [`MAX_OUTPUT_BYTES`].
#[derive(Debug, Default)]
pub(crate) struct BoundedOutput {
    /// What was written.
    pub(crate) bytes: Vec<u8>,
}

impl std::io::Write for BoundedOutput {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len().saturating_add(buf.len()) > MAX_OUTPUT_BYTES {
            return Err(std::io::Error::other(format!(
                "the page would be larger than {MAX_OUTPUT_BYTES} bytes"
            )));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The minijinja environment over a set of templates.
pub(crate) fn environment(templates: &Templates) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(FUEL));
    env.add_filter("join", bounded_join);
    env.set_auto_escape_callback(auto_escape);
    env.set_formatter(formatter);
    // Block tags on their own lines leave no blank lines behind; a file's final newline stays.
    if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
    {
        env.set_syntax(syntax);
    }
    env.add_filter("label", label);
    env.add_filter("signed", signed);
    env.add_filter("href", href);
    env.add_test("url", is_url);
    let templates = Arc::new(templates.clone());
    env.set_loader(move |name| Ok(templates.source(name).map(str::to_owned)));
    env
}

#[cfg(test)]
mod tests {
    use super::*;
    use minijinja::ErrorKind;

    #[test]
    fn every_embedded_template_parses() {
        let env = environment(&Templates::embedded());
        for (name, _) in EMBEDDED {
            env.get_template(name)
                .unwrap_or_else(|e| panic!("{name}: {e:#}"));
        }
    }

    #[test]
    fn hrefs_cannot_run_script() {
        assert_eq!(href("javascript:alert(1)"), "#");
        assert_eq!(href(" JavaScript:alert(1)"), "#");
        assert_eq!(href("data:text/html,x"), "#");
        assert_eq!(href("https://a.example/x y"), "https://a.example/x%20y");
        assert_eq!(href("docs/a(1).md"), "docs/a%281%29.md");
        assert_eq!(href("mailto:a@b.example"), "mailto:a@b.example");
        assert_eq!(
            href("https://a.example/\"><script>"),
            "https://a.example/%22%3E%3Cscript%3E"
        );
    }

    #[test]
    fn markdown_autoescape_and_none() {
        let t = Templates::embedded()
            .with_override("t.md", "{{ a }}|{{ b }}|{{ c }}")
            .with_override("t.html", "{{ a }}|{{ b }}");
        let env = environment(&t);
        let ctx = minijinja::context! { a => "<x>|y", b => Value::from(()), c => Value::from_safe_string("<ok>".into()) };
        assert_eq!(
            env.get_template("t.md").unwrap().render(&ctx).unwrap(),
            "&lt;x&gt;\\|y|—|<ok>"
        );
        assert_eq!(
            env.get_template("t.html").unwrap().render(&ctx).unwrap(),
            "&lt;x&gt;|y|—"
        );
        let t = Templates::embedded().with_override("u.html", "<a href=\"{{ u }}\">{{ t }}</a>");
        let env = environment(&t);
        let ctx = minijinja::context! { u => "a/b.html?x=1&y='2'", t => "\"</a>" };
        assert_eq!(
            env.get_template("u.html").unwrap().render(&ctx).unwrap(),
            "<a href=\"a/b.html?x=1&amp;y=&#39;2&#39;\">&quot;&lt;/a&gt;</a>"
        );
    }

    #[test]
    fn undefined_is_an_error() {
        let t = Templates::embedded().with_override("t.md", "{{ nope }}");
        let env = environment(&t);
        let err = env
            .get_template("t.md")
            .unwrap()
            .render(minijinja::context! {})
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UndefinedError);
    }

    #[test]
    fn filters() {
        assert_eq!(signed(3), "+3");
        assert_eq!(signed(-2), "−2");
        assert_eq!(label("in_progress"), "in progress");
    }
}
