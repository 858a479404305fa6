//! Templates: a user's file overrides the embedded one of the same name and no other, and
//! a typo in a template is an error, not an empty string.

mod common;

use milepost_render::{Format, Kind, RenderError, RenderOptions, Renderer, Templates};

fn render(templates: &Templates, kind: Kind, format: Format) -> Result<String, RenderError> {
    let p = common::acme();
    let s = common::session(p);
    let a = milepost_render::Analysis::new(&s);
    let program = a.program_index("ledger");
    Renderer::new(templates).render(&a, kind, format, program, &RenderOptions::default())
}

#[test]
fn a_user_template_overrides_the_embedded_one_file_by_file() {
    let embedded = Templates::embedded();
    let custom = Templates::embedded()
        .with_override(
            "summary.md",
            "# {{ program.name }}: {{ program.status.label }}\nNext: {% for m in program.next_milestones %}{{ m.id }} {% endfor %}\n",
        )
        .with_override("style.css", "body { color: rebeccapurple; }");
    // The overridden template is used…
    let summary = render(&custom, Kind::Summary, Format::Markdown).unwrap();
    assert!(
        summary.starts_with("# Ledger v2: At risk\nNext: M3 M7 "),
        "{summary}"
    );
    // …the others are not touched…
    assert_eq!(
        render(&custom, Kind::Charter, Format::Markdown).unwrap(),
        render(&embedded, Kind::Charter, Format::Markdown).unwrap()
    );
    assert_eq!(
        render(&custom, Kind::Summary, Format::Html)
            .unwrap()
            .replace("body { color: rebeccapurple; }", ""),
        render(&embedded, Kind::Summary, Format::Html)
            .unwrap()
            .replace(Templates::embedded().source("style.css").unwrap(), "")
    );
    // …and a partial (the stylesheet every HTML page includes) overrides on its own.
    let html = render(&custom, Kind::Raid, Format::Html).unwrap();
    assert!(html.contains("body { color: rebeccapurple; }"));
    assert!(
        !html.contains("--accent"),
        "the embedded stylesheet is replaced"
    );
    assert!(
        html.contains("RAID log"),
        "the embedded raid.html is still used"
    );
}

#[test]
fn an_override_can_extend_the_embedded_layout() {
    let custom = Templates::embedded().with_override(
        "charter.html",
        "{% extends \"base.html\" %}{% block title %}Custom{% endblock %}{% block content %}<p>{{ program.id }}</p>{% endblock %}",
    );
    let html = render(&custom, Kind::Charter, Format::Html).unwrap();
    assert!(html.contains("<title>Custom · Acme Payments</title>"));
    assert!(html.contains("<p>ledger</p>"));
}

#[test]
fn a_typo_in_a_template_is_an_error() {
    let typo = Templates::embedded().with_override("summary.md", "{{ program.nmae }}\n");
    let err = render(&typo, Kind::Summary, Format::Markdown).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("summary.md"), "{text}");
    assert!(text.contains("undefined"), "{text}");

    let typo =
        Templates::embedded().with_override("raid.html", "{% if progam.risks %}x{% endif %}");
    let err = render(&typo, Kind::Raid, Format::Html).unwrap_err();
    assert!(err.to_string().contains("raid.html"), "{err}");

    let syntax = Templates::embedded().with_override("charter.md", "{% for x in %}");
    let err = render(&syntax, Kind::Charter, Format::Markdown).unwrap_err();
    assert!(err.to_string().contains("charter.md"), "{err}");
}

#[test]
fn program_reports_need_a_program() {
    let p = common::acme();
    let s = common::session(p);
    let a = milepost_render::Analysis::new(&s);
    let err = Renderer::new(&Templates::embedded())
        .render(
            &a,
            Kind::Summary,
            Format::Markdown,
            None,
            &RenderOptions::default(),
        )
        .unwrap_err();
    assert!(matches!(err, RenderError::NoProgram("summary")));
    let err = Renderer::new(&Templates::embedded())
        .render(
            &a,
            Kind::Raid,
            Format::Html,
            Some(99),
            &RenderOptions::default(),
        )
        .unwrap_err();
    assert!(matches!(err, RenderError::NoProgram("raid")));
}

/// A hostile or broken template stops with a clear error instead of running forever or
/// exhausting memory: the engine has fuel, `join` is bounded, and so is a page's size.
#[test]
fn runaway_templates_stop_with_an_error() {
    let cases = [
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
            "fuel",
        ),
        (
            "{{ range(100000)|map('string')|join('x' * 100000) }}",
            "join would build more than",
        ),
        (
            "{% for i in range(30000) %}{{ 'x' * 10000 }}{% endfor %}",
            "larger than",
        ),
    ];
    for (template, expected) in cases {
        let started = std::time::Instant::now();
        let custom = Templates::embedded().with_override("summary.md", template);
        let err = render(&custom, Kind::Summary, Format::Markdown)
            .expect_err(template)
            .to_string();
        assert!(err.contains(expected), "{template}: {err}");
        // Not a timing assertion on the happy path: a bound that a hang would break.
        assert!(
            started.elapsed().as_secs() < 120,
            "{template} took too long"
        );
    }
}
