//! The rules over synthetic portfolios of 100 and 1,000 programs: the rules alone (on a
//! loaded portfolio and its plan), and load + plan + rules (what `milepost check` does).
//! Run with `cargo bench -p milepost-rules`.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use milepost_load::{FileSet, load};
use milepost_plan::PortfolioPlan;
use milepost_synth::{Options, generate};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("rules");
    group.sample_size(10);
    for programs in [100usize, 1000] {
        let options = Options::with_programs(programs);
        let files: Vec<(String, Vec<u8>)> = generate(&options)
            .into_iter()
            .map(|(p, t)| (p, t.into_bytes()))
            .collect();
        let portfolio = load(FileSet::from_memory(files.clone()));
        let plan = PortfolioPlan::build(&portfolio, options.as_of);
        group.bench_with_input(BenchmarkId::new("rules", programs), &(), |b, ()| {
            b.iter(|| milepost_rules::check(&portfolio, options.as_of, Some(&plan)));
        });
        group.bench_with_input(
            BenchmarkId::new("load_plan_rules", programs),
            &files,
            |b, files| {
                b.iter(|| {
                    let portfolio = load(FileSet::from_memory(files.clone()));
                    let plan = PortfolioPlan::build(&portfolio, options.as_of);
                    milepost_rules::check(&portfolio, options.as_of, Some(&plan)).len()
                });
            },
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
