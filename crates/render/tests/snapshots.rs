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
    assert!(!without.contains("What changed"));
    let options = RenderOptions {
        changes: Some(vec![milepost_render::Change {
            date: Some(common::as_of()),
            entity: "ledger/M5".to_owned(),
            summary: "target 2027-02-12 → 2027-02-26".to_owned(),
            reference: Some("a1b2c3d".to_owned()),
            author: Some("Ravi Subramanian".to_owned()),
        }]),
    };
    for format in [Format::Markdown, Format::Html] {
        let with = r
            .render(&a, Kind::Summary, format, program, &options)
            .unwrap();
        assert!(with.contains("What changed"), "{format:?}");
        assert!(with.contains("ledger/M5"), "{format:?}");
        assert!(with.contains("a1b2c3d"), "{format:?}");
    }
}
