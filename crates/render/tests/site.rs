//! The static site: every page is there, and every relative link points at a page that is.

mod common;

use std::collections::BTreeSet;

use milepost_render::{Renderer, Templates};

#[test]
fn every_page_is_written_and_every_link_resolves() {
    let p = common::acme();
    let s = common::session(p);
    let a = milepost_render::Analysis::new(&s);
    let files = Renderer::new(&Templates::embedded())
        .site(&a, None)
        .unwrap();
    let paths: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths.len(), 1 + 3 * a.portfolio.programs.len());
    assert!(paths.contains("index.html"));
    for program in &a.portfolio.programs {
        for kind in ["summary", "charter", "raid"] {
            assert!(paths.contains(format!("programs/{}/{kind}.html", program.id).as_str()));
        }
    }
    let mut links = 0;
    for f in &files {
        let dir: Vec<&str> = f
            .path
            .rsplit_once('/')
            .map_or(vec![], |(d, _)| d.split('/').collect());
        for (i, _) in f.contents.match_indices("href=\"") {
            let rest = &f.contents[i + 6..];
            let href = &rest[..rest.find('"').unwrap()];
            if href.starts_with("http") || href.starts_with('#') || href.starts_with("mailto:") {
                continue;
            }
            // Resolve the relative link against the page's folder.
            let mut parts = dir.clone();
            for segment in href.split('/') {
                match segment {
                    ".." => {
                        parts.pop();
                    }
                    "." | "" => {}
                    s => parts.push(s),
                }
            }
            let target = parts.join("/");
            assert!(
                paths.contains(target.as_str()),
                "{}: broken link {href}",
                f.path
            );
            links += 1;
        }
    }
    assert!(links > 6 * 4, "pages link to each other ({links} links)");
}
