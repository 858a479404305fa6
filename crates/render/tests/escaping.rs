//! Hostile text in names and titles shows as text in every report: no raw `<script>`, no
//! early `</svg>`, no `javascript:` link, and Markdown tables keep their columns.

mod common;

use milepost_render::{Format, Kind, RenderOptions, Renderer, Templates};

const SETTINGS: &str = r#"name: 'Evil <script>alert("portfolio")</script> & Co'
gates:
  launch:
    title: '<script>alert("gate")</script>'
    items:
      - id: review
        title: 'Review </svg><script>alert("item")</script>'
"#;

const PEOPLE: &str = r#"people:
  - id: mal
    name: '<script>alert("person")</script> | "Mal" & co'
  - id: sam
    name: Sam Sponsor
"#;

const PROGRAM: &str = r#"name: '<script>alert("program")</script> | </svg> & "quoted"'
summary: "first line\nsecond | line <b>bold</b>"
status: active
health: green
sponsor: sam
owner: mal
start: 2026-11-02
target: 2027-03-01
objectives:
  - '<img src=x onerror=alert(1)>'
scope:
  in: ['in | scope <script>']
  out: ['out & scope']
success_metrics:
  - metric: 'rate | <script>'
    baseline: '<1%'
    target: '>99% | "all"'
stakeholders:
  - id: mal
    role: 'role </svg>'
links:
  - title: '<script>alert("link")</script>'
    url: 'javascript:alert(1)'
  - title: fine
    url: 'https://example.com/a b"><script>'
"#;

const MILESTONES: &str = r#"milestones:
  - id: M1
    title: '</svg><script>alert("m1")</script>'
    owner: mal
    duration: 5d
    target: 2026-11-20
  - id: M2
    title: 'A & B | "C" `code` : ; # x'
    owner: mal
    kind: launch
    duration: 5d
    depends_on: [M1]
    target: 2026-12-04
    gate: launch
    readiness:
      review:
        status: blocked
        owner: mal
        evidence: 'javascript:alert(2)'
        note: '<script>alert("note")</script>'
"#;

const RAID: &str = r#"risks:
  - id: R-1
    title: '<script>alert("risk")</script> </svg>'
    owner: mal
    probability: high
    impact: critical
    status: open
    mitigation: "one | two\nthree <script>"
    raised: 2026-11-01
    reviewed: 2026-11-20
assumptions:
  - id: A-1
    title: '<script>alert("assumption")</script>'
    owner: mal
issues:
  - id: I-1
    title: '<script>alert("issue")</script>'
    owner: mal
    severity: high
    status: escalated
    escalated_to: sam
dependencies:
  - id: D-1
    title: '<script>alert("dependency")</script>'
    provider: mal
    owner: mal
    raised: 2026-01-01
    needed_by: 2026-11-01
"#;

const DECISIONS: &str = r#"decisions:
  - id: DEC-1
    title: '<script>alert("decision")</script>'
    owner: mal
    raised: 2026-11-01
    needed_by: 2026-12-01
    options: ['<script>a</script>', 'b | c']
"#;

fn portfolio() -> milepost_load::Portfolio {
    common::memory(&[
        ("milepost.yaml", SETTINGS),
        ("people.yaml", PEOPLE),
        ("programs/evil/program.yaml", PROGRAM),
        ("programs/evil/milestones.yaml", MILESTONES),
        ("programs/evil/raid.yaml", RAID),
        ("programs/evil/decisions.yaml", DECISIONS),
    ])
}

fn all_outputs() -> Vec<(String, String)> {
    let p = portfolio();
    let errors: Vec<_> = p
        .diagnostics
        .iter()
        .filter(|d| d.severity == milepost_load::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let s = common::session(p);
    let a = milepost_render::Analysis::new(&s);
    let r = Renderer::new(&Templates::embedded());
    let mut out = Vec::new();
    for kind in Kind::ALL {
        for format in [Format::Markdown, Format::Html] {
            let text = r
                .render(&a, kind, format, Some(0), &RenderOptions::default())
                .unwrap_or_else(|e| panic!("{kind:?} {format:?}: {e}"));
            out.push((format!("{}.{}", kind.name(), format.extension()), text));
        }
    }
    for f in r.site(&a, None).unwrap() {
        out.push((format!("site/{}", f.path), f.contents));
    }
    out
}

fn extension(name: &str) -> &str {
    name.rsplit_once('.').map_or("", |(_, e)| e)
}

/// Every `<svg>…</svg>` in a page.
fn svgs(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..].find("</svg>").expect("closed svg") + start + 6;
        out.push(&rest[start..end]);
        rest = &rest[end..];
    }
    out
}

#[test]
fn html_and_svg_escape_everything() {
    for (name, text) in all_outputs().iter().filter(|(n, _)| extension(n) == "html") {
        let lower = text.to_lowercase();
        assert!(!lower.contains("<script"), "{name}: raw <script>");
        assert!(!lower.contains("<img"), "{name}: raw <img>");
        assert!(!lower.contains("<b>bold"), "{name}: raw <b>");
        assert!(
            !lower.contains("href=\"javascript"),
            "{name}: javascript: link"
        );
        assert!(
            lower.contains("&lt;script&gt;"),
            "{name}: payload not shown as text"
        );
        assert_eq!(
            text.matches("<svg").count(),
            text.matches("</svg>").count(),
            "{name}: an </svg> in user text closed a chart"
        );
        for svg in svgs(text) {
            let doc = roxmltree::Document::parse(svg)
                .unwrap_or_else(|e| panic!("{name}: SVG is not well-formed XML: {e}\n{svg}"));
            // No element but the ones milepost draws: the payloads stayed text.
            for node in doc.descendants().filter(roxmltree::Node::is_element) {
                let tag = node.tag_name().name();
                assert!(
                    [
                        "svg", "title", "g", "rect", "line", "text", "path", "defs", "marker"
                    ]
                    .contains(&tag),
                    "{name}: unexpected <{tag}> in a chart"
                );
            }
        }
    }
}

#[test]
fn svg_text_keeps_the_payload_as_text() {
    let outputs = all_outputs();
    let (_, summary) = outputs.iter().find(|(n, _)| n == "summary.html").unwrap();
    let texts: Vec<String> = svgs(summary)
        .iter()
        .flat_map(|svg| {
            let doc = roxmltree::Document::parse(svg).unwrap();
            doc.descendants()
                .filter_map(|n| n.text().map(str::to_owned))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        texts
            .iter()
            .any(|t| t.contains("</svg><script>alert(\"m1\")")),
        "the milestone title is in the gantt as text: {texts:?}"
    );
}

/// Counts the `|` that separate cells (not the escaped `\|`).
fn cells(line: &str) -> usize {
    let mut n = 0;
    let mut after_backslash = false;
    for c in line.chars() {
        if c == '|' && !after_backslash {
            n += 1;
        }
        after_backslash = c == '\\' && !after_backslash;
    }
    n
}

#[test]
fn markdown_is_table_safe_and_has_no_raw_html() {
    for (name, text) in all_outputs().iter().filter(|(n, _)| extension(n) == "md") {
        let lower = text.to_lowercase();
        assert!(!lower.contains("<script"), "{name}: raw <script>");
        assert!(!lower.contains("<img"), "{name}: raw <img>");
        assert!(!lower.contains("](javascript"), "{name}: javascript: link");
        // Every table keeps the header's column count on every row.
        let mut header: Option<usize> = None;
        for line in text.lines() {
            if line.starts_with('|') {
                let n = cells(line);
                match header {
                    None => header = Some(n),
                    Some(h) => assert_eq!(n, h, "{name}: a row broke its table: {line}"),
                }
            } else {
                header = None;
            }
        }
        // Mermaid blocks: nothing closes the fence early or carries markup.
        let mut in_mermaid = false;
        for line in text.lines() {
            if line == "```mermaid" {
                in_mermaid = true;
            } else if in_mermaid && line == "```" {
                in_mermaid = false;
            } else if in_mermaid {
                assert!(!line.contains("```"), "{name}: fence in mermaid: {line}");
                assert!(!line.contains('<') && !line.contains('>'), "{name}: {line}");
                if let Some((label, tags)) = line.trim().split_once(" :") {
                    assert!(
                        !label.contains(':') && !tags.contains('#'),
                        "{name}: {line}"
                    );
                }
            }
        }
        assert!(!in_mermaid, "{name}: unclosed mermaid block");
    }
}
