//! Load + check throughput on synthetic portfolios of 100 and 1,000 programs.
//!
//! Two measurements per size: from memory (parse, validate, resolve: the CPU work) and
//! from disk (adds discovery and reading). Run with `cargo bench -p milepost-load`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use milepost_load::{FileSet, load, load_dir};
use milepost_synth::{Options, generate, write_to_dir};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("load_check");
    group.sample_size(10);
    for programs in [100usize, 1000] {
        let files = generate(&Options::with_programs(programs));
        let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        let in_memory: Vec<(String, Vec<u8>)> = files
            .iter()
            .map(|(p, t)| (p.clone(), t.clone().into_bytes()))
            .collect();
        group.bench_with_input(
            BenchmarkId::new("memory", programs),
            &in_memory,
            |b, files| {
                b.iter(|| {
                    let portfolio = load(FileSet::from_memory(files.clone()));
                    assert!(portfolio.diagnostics.is_empty());
                    portfolio
                });
            },
        );
        let dir = tempfile::tempdir().expect("temp dir");
        write_to_dir(&files, dir.path()).expect("write portfolio");
        group.bench_with_input(BenchmarkId::new("disk", programs), dir.path(), |b, path| {
            b.iter(|| load_dir(path).expect("portfolio"));
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
