//! The dependency graph: compact adjacency, topological order and cycle reporting.
//!
//! Two jobs with different needs live here:
//!
//! * **The hot path** (`Network`, crate-private) computes one topological order with Kahn's
//!   algorithm and renumbers the tasks by their position in it; predecessors and successors
//!   are CSR arrays of `u32` positions (one offsets vector, one flat targets vector each).
//!   Everything is a flat `Vec`, iterative, linear in tasks + dependencies, and deterministic
//!   (a FIFO queue seeded in index order). The CPM passes and every Monte Carlo run reuse it.
//! * **Cycle reporting** ([`find_cycles`]) only runs when there is a cycle (or when a caller
//!   asks). It builds a petgraph graph and uses `kosaraju_scc`, whose DFS is iterative — unlike
//!   petgraph's `tarjan_scc`, which recurses and would overflow the stack on a 100k-long chain.
//!   For each strongly connected component that holds a cycle, a breadth-first search restricted
//!   to the component finds a shortest cycle through its smallest task index, so the report is a
//!   concrete, minimal, deterministic cycle rather than a whole component.
//!
//! Edges point from a task to the tasks it depends on; a reported cycle `[a, b, c]` means `a`
//! depends on `b`, `b` on `c` and `c` on `a`, so each hop corresponds to one `depends_on` entry
//! of the task it starts at (which is what a located error message wants to point at).

use std::collections::VecDeque;

use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::error::ScheduleError;

/// Marker for "none" in `u32` index arrays.
pub(crate) const NONE: u32 = u32::MAX;

/// Compressed sparse rows: the neighbours of `i` are `targets[offsets[i]..offsets[i + 1]]`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Csr {
    pub(crate) offsets: Vec<u32>,
    pub(crate) targets: Vec<u32>,
}

impl Csr {
    #[inline]
    pub(crate) fn of(&self, i: usize) -> &[u32] {
        &self.targets[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    /// Builds the reverse adjacency (successors from predecessors) by counting sort. Rows of
    /// the result list their entries in increasing order.
    fn reversed(&self, n: usize) -> Csr {
        let mut count = vec![0u32; n + 1];
        for &t in &self.targets {
            count[t as usize + 1] += 1;
        }
        for i in 0..n {
            count[i + 1] += count[i];
        }
        let mut fill: Vec<u32> = count[..n].to_vec();
        let mut targets = vec![0u32; self.targets.len()];
        for i in 0..n {
            for &t in self.of(i) {
                let slot = &mut fill[t as usize];
                targets[*slot as usize] = i as u32;
                *slot += 1;
            }
        }
        Csr {
            offsets: count,
            targets,
        }
    }
}

/// The validated dependency network, renumbered in topological order.
///
/// Internally a task is known by its *position* `p` in one topological order (Kahn's algorithm,
/// FIFO, seeded in index order: deterministic). Every predecessor of `p` has a smaller position,
/// so the forward pass is a single sequential sweep over flat arrays, and the backward pass the
/// reverse sweep — no indirection through an order array, and the CSR rows are read in memory
/// order.
#[derive(Debug, Clone)]
pub(crate) struct Network {
    /// `order[p]` = the input index of the task at position `p`.
    pub(crate) order: Vec<u32>,
    /// `pos[i]` = the position of input task `i`.
    pub(crate) pos: Vec<u32>,
    /// Predecessor positions of each position, in the order of the task's `deps`.
    pub(crate) preds: Csr,
    /// Successor positions of each position, increasing.
    pub(crate) succs: Csr,
}

impl Network {
    /// Builds the network from `deps(i)` for `i < n`. Fails on an out-of-range dependency,
    /// too many tasks or edges, or a cycle (reported with [`find_cycles`]).
    pub(crate) fn build<'a, F>(n: usize, deps: F) -> Result<Network, ScheduleError>
    where
        F: Fn(usize) -> &'a [usize],
    {
        // Indices and offsets are u32; NONE is reserved.
        if n >= NONE as usize {
            return Err(ScheduleError::TooManyTasks(n));
        }
        // Predecessors by input index.
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0u32);
        let mut targets = Vec::new();
        for i in 0..n {
            for &d in deps(i) {
                if d >= n {
                    return Err(ScheduleError::UnknownDependency {
                        task: i,
                        dep: d,
                        len: n,
                    });
                }
                targets.push(d as u32);
            }
            let len = u32::try_from(targets.len()).map_err(|_| ScheduleError::TooManyTasks(n))?;
            offsets.push(len);
        }
        let preds = Csr { offsets, targets };
        let succs = preds.reversed(n);
        // Kahn: remaining predecessor counts; `order` doubles as the FIFO queue.
        let mut remaining: Vec<u32> = (0..n).map(|i| preds.of(i).len() as u32).collect();
        let mut order: Vec<u32> = (0..n as u32)
            .filter(|&i| remaining[i as usize] == 0)
            .collect();
        order.reserve(n - order.len());
        let mut head = 0;
        while head < order.len() {
            let i = order[head] as usize;
            head += 1;
            for &s in succs.of(i) {
                let r = &mut remaining[s as usize];
                *r -= 1;
                if *r == 0 {
                    order.push(s);
                }
            }
        }
        if order.len() != n {
            return Err(ScheduleError::Cycle(find_cycles(n, deps)));
        }
        // Renumber by position.
        let mut pos = vec![0u32; n];
        for (p, &i) in order.iter().enumerate() {
            pos[i as usize] = p as u32;
        }
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0u32);
        let mut targets = Vec::with_capacity(preds.targets.len());
        for &i in &order {
            targets.extend(preds.of(i as usize).iter().map(|&d| pos[d as usize]));
            offsets.push(targets.len() as u32);
        }
        let preds = Csr { offsets, targets };
        let succs = preds.reversed(n);
        Ok(Network {
            order,
            pos,
            preds,
            succs,
        })
    }
}

/// Finds every dependency cycle: one concrete cycle per strongly connected component that
/// contains a cycle (a component of two or more tasks, or a task that depends on itself).
///
/// `deps(i)` lists the tasks that task `i` depends on (`i < n`); indices `>= n` are ignored.
/// Each cycle is a list of distinct task indices `[a, b, …, z]` where `a` depends on `b`, …,
/// and `z` depends on `a`. It starts at the smallest index of its component and is a shortest
/// cycle through that task (ties broken by the order of `deps`). Cycles are sorted by their
/// first element. An acyclic graph gives an empty list.
///
/// Iterative throughout (petgraph's `kosaraju_scc` and a BFS): safe on very long chains.
pub fn find_cycles<'a, F>(n: usize, deps: F) -> Vec<Vec<usize>>
where
    F: Fn(usize) -> &'a [usize],
{
    let mut g: DiGraph<(), (), usize> = DiGraph::with_capacity(n, 0);
    for _ in 0..n {
        g.add_node(());
    }
    for i in 0..n {
        for &d in deps(i) {
            if d < n {
                g.add_edge(NodeIndex::new(i), NodeIndex::new(d), ());
            }
        }
    }
    let mut comp = vec![usize::MAX; n];
    let mut cycles = Vec::new();
    for (c, members) in kosaraju_scc(&g).into_iter().enumerate() {
        for m in &members {
            comp[m.index()] = c;
        }
        let Some(start) = members.iter().map(|m| m.index()).min() else {
            continue;
        };
        if members.len() == 1 && !deps(start).contains(&start) {
            continue;
        }
        if let Some(cycle) = shortest_cycle_through(start, c, &comp, &deps) {
            cycles.push(cycle);
        }
    }
    cycles.sort_unstable_by_key(|c| c[0]);
    cycles
}

/// BFS from `start` along dependency edges inside component `c`, until a task that depends on
/// `start` is reached. Returns the cycle `start → … → that task`.
fn shortest_cycle_through<'a, F>(
    start: usize,
    c: usize,
    comp: &[usize],
    deps: &F,
) -> Option<Vec<usize>>
where
    F: Fn(usize) -> &'a [usize],
{
    let n = comp.len();
    let mut parent: Vec<usize> = vec![usize::MAX; n];
    let mut queue = VecDeque::new();
    parent[start] = start;
    queue.push_back(start);
    while let Some(u) = queue.pop_front() {
        for &v in deps(u) {
            if v == start {
                let mut path = vec![u];
                let mut x = u;
                while x != start {
                    x = parent[x];
                    path.push(x);
                }
                path.reverse();
                return Some(path);
            }
            if v < n && comp[v] == c && parent[v] == usize::MAX {
                parent[v] = u;
                queue.push_back(v);
            }
        }
    }
    None
}
