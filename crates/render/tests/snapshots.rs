//! Every template, in both formats, on `examples/acme` as of 2026-11-23: what a reader sees.

mod common;

use milepost_render::{Format, Kind, RenderOptions, Renderer, Templates};

fn render(kind: Kind, format: Format) -> String {
    let p = common::acme();
    let s = common::session(p);
    let a = milepost_render::Analysis::new(&s);
    let program = a.program_index("checkout-v2");
    Renderer::new(&Templates::embedded())
        .render(&a, kind, format, program, &RenderOptions::default())
        .unwrap_or_else(|e| panic!("{kind:?} {format:?}: {e}"))
}

macro_rules! snapshot {
    ($name:ident, $kind:expr, $format:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(render($kind, $format));
        }
    };
}

snapshot!(charter_md, Kind::Charter, Format::Markdown);
snapshot!(summary_md, Kind::Summary, Format::Markdown);
snapshot!(raid_md, Kind::Raid, Format::Markdown);
snapshot!(portfolio_md, Kind::Portfolio, Format::Markdown);
snapshot!(charter_html, Kind::Charter, Format::Html);
snapshot!(summary_html, Kind::Summary, Format::Html);
snapshot!(raid_html, Kind::Raid, Format::Html);
snapshot!(portfolio_html, Kind::Portfolio, Format::Html);

/// Every program renders every kind in both formats (no template error on any data).
#[test]
fn every_program_renders() {
    let p = common::acme();
    let s = common::session(p);
    let a = milepost_render::Analysis::new(&s);
    let r = Renderer::new(&Templates::embedded());
    for i in 0..a.portfolio.programs.len() {
        for kind in [Kind::Charter, Kind::Summary, Kind::Raid] {
            for format in [Format::Markdown, Format::Html] {
                let out = r
                    .render(&a, kind, format, Some(i), &RenderOptions::default())
                    .unwrap_or_else(|e| {
                        panic!("{} {kind:?} {format:?}: {e}", a.portfolio.programs[i].id)
                    });
                assert!(out.contains(&a.portfolio.programs[i].charter.name));
            }
        }
    }
}

/// The summaries' computed statuses over the example: what the portfolio page leads with.
#[test]
fn computed_statuses_of_the_example() {
    let p = common::acme();
    let s = common::session(p);
    let a = milepost_render::Analysis::new(&s);
    let lines: Vec<String> = (0..a.portfolio.programs.len())
        .map(|i| {
            let r = a.program_report(i);
            format!(
                "{}: {} (declared {}) — {}",
                r.id,
                r.status.label,
                r.status.declared.unwrap_or("none"),
                r.status.reasons.join("; ")
            )
        })
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
}

/// The summary's "what changed" hook renders what a caller passes and nothing otherwise.
#[test]
fn changes_hook() {
    let p = common::acme();
    let s = common::session(p);
    let a = milepost_render::Analysis::new(&s);
    let r = Renderer::new(&Templates::embedded());
    let program = a.program_index("ledger");
    let without = r
        .render(
            &a,
            Kind::Summary,
            Format::Markdown,
            program,
            &RenderOptions::default(),
        )
        .unwrap();
    assert!(!without.contains("ledger/M5 target"));
    let change = |entity: &str, summary: &str, category: &str, approved: Option<bool>| {
        milepost_render::Change {
            date: Some(common::as_of()),
            entity: entity.to_owned(),
            summary: summary.to_owned(),
            reference: Some("#42".to_owned()),
            author: Some("Ravi Subramanian".to_owned()),
            category: Some(category.to_owned()),
            work_days: None,
            pr: Some(42),
            approved_by: if approved == Some(true) {
                vec!["Dana Whitfield".to_owned()]
            } else {
                Vec::new()
            },
            approved,
        }
    };
    let options = RenderOptions {
        changes: Some(vec![
            change(
                "M5",
                "target: 2027-02-12 → 2027-02-26 (+10 wd)",
                "date",
                Some(false),
            ),
            change(
                "M6",
                "target: 2027-02-19 → 2027-02-26 (+5 wd)",
                "date",
                Some(true),
            ),
            change("R-9", "added risk", "risk", None),
        ]),
        window: Some("Since 2026-11-16".to_owned()),
        unavailable: None,
        baselines: None,
        scorecard: None,
    };
    for format in [Format::Markdown, Format::Html] {
        let with = r
            .render(&a, Kind::Summary, format, program, &options)
            .unwrap();
        assert!(with.contains("Changes since the last report"), "{format:?}");
        assert!(
            with.contains("1 date move without an approved pull request"),
            "{format:?}"
        );
        assert!(with.contains("approved by Dana Whitfield"), "{format:?}");
        assert!(with.contains("R-9"), "{format:?}");
        assert!(with.contains("#42"), "{format:?}");
    }
    // Without history, the section says why.
    let options = RenderOptions {
        unavailable: Some("the portfolio is not in a git repository".to_owned()),
        ..RenderOptions::default()
    };
    let text = r
        .render(&a, Kind::Summary, Format::Markdown, program, &options)
        .unwrap();
    assert!(text.contains("Not available: the portfolio is not in a git repository."));
}
