//! The object reads of milepost's history walk (ADR 0004), with gix and with libgit2. For each
//! first-parent commit: its tree, `programs`, each program folder whose id changed, and every
//! changed blob read.
use std::collections::HashMap;
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("repo");
    let which = std::env::args().nth(2).unwrap_or_default();
    if which != "git2" {
        gix_walk(&path);
    }
    if which != "gix" {
        git2_walk(&path);
    }
}

fn gix_walk(path: &str) {
    let t0 = Instant::now();
    let mut repo = gix::open(path).unwrap();
    repo.object_cache_size_if_unset(16 * 1024 * 1024);
    let mut id = repo.head_id().unwrap().detach();
    let mut list = Vec::new();
    loop {
        list.push(id);
        let commit = repo.find_object(id).unwrap().try_into_commit().unwrap();
        match commit.parent_ids().next() {
            Some(p) => id = p.detach(),
            None => break,
        }
    }
    list.reverse();
    let t_list = t0.elapsed();
    let mut prev: HashMap<Vec<u8>, gix::ObjectId> = HashMap::new();
    let mut prev_programs: Option<gix::ObjectId> = None;
    let mut prev_files: HashMap<Vec<u8>, HashMap<Vec<u8>, gix::ObjectId>> = HashMap::new();
    let mut blobs = Vec::new();
    let mut trees_read = 0;
    for &c in &list {
        let commit = repo.find_object(c).unwrap().try_into_commit().unwrap();
        let root = repo
            .find_object(commit.tree_id().unwrap())
            .unwrap()
            .into_tree();
        trees_read += 1;
        let programs = root
            .decode()
            .unwrap()
            .entries
            .iter()
            .find(|e| e.filename == "programs")
            .map(|e| e.oid.to_owned());
        if programs == prev_programs {
            continue;
        }
        prev_programs = programs;
        let Some(programs) = programs else { continue };
        let ptree = repo.find_object(programs).unwrap().into_tree();
        trees_read += 1;
        let entries: Vec<(Vec<u8>, gix::ObjectId)> = ptree
            .decode()
            .unwrap()
            .entries
            .iter()
            .map(|e| (e.filename.to_vec(), e.oid.to_owned()))
            .collect();
        for (name, oid) in entries {
            if prev.get(&name) == Some(&oid) {
                continue;
            }
            prev.insert(name.clone(), oid);
            let folder = repo.find_object(oid).unwrap().into_tree();
            trees_read += 1;
            let files: HashMap<Vec<u8>, gix::ObjectId> = folder
                .decode()
                .unwrap()
                .entries
                .iter()
                .map(|e| (e.filename.to_vec(), e.oid.to_owned()))
                .collect();
            let old = prev_files.remove(&name).unwrap_or_default();
            for (f, b) in &files {
                if old.get(f) != Some(b) {
                    blobs.push(*b);
                }
            }
            prev_files.insert(name, files);
        }
    }
    let t_trees = t0.elapsed();
    let mut bytes = 0;
    for b in &blobs {
        bytes += repo.find_object(*b).unwrap().data.len();
    }
    let t_blobs = t0.elapsed();
    println!(
        "gix:  list {:?} ({} commits), trees {:?} ({} trees), blobs {:?} ({} blobs, {} bytes), total {:?}",
        t_list,
        list.len(),
        t_trees - t_list,
        trees_read,
        t_blobs - t_trees,
        blobs.len(),
        bytes,
        t_blobs
    );
}

fn git2_walk(path: &str) {
    git2::opts::strict_hash_verification(false);
    let t0 = Instant::now();
    let repo = git2::Repository::open(path).unwrap();
    let mut id = repo.head().unwrap().target().unwrap();
    let mut list = Vec::new();
    loop {
        list.push(id);
        let commit = repo.find_commit(id).unwrap();
        match commit.parent_id(0) {
            Ok(p) => id = p,
            Err(_) => break,
        }
    }
    list.reverse();
    let t_list = t0.elapsed();
    let mut prev: HashMap<Vec<u8>, git2::Oid> = HashMap::new();
    let mut prev_programs: Option<git2::Oid> = None;
    let mut prev_files: HashMap<Vec<u8>, HashMap<Vec<u8>, git2::Oid>> = HashMap::new();
    let mut blobs = Vec::new();
    let mut trees_read = 0;
    for &c in &list {
        let commit = repo.find_commit(c).unwrap();
        let root = commit.tree().unwrap();
        trees_read += 1;
        let programs = root.get_name("programs").map(|e| e.id());
        if programs == prev_programs {
            continue;
        }
        prev_programs = programs;
        let Some(programs) = programs else { continue };
        let ptree = repo.find_tree(programs).unwrap();
        trees_read += 1;
        for e in ptree.iter() {
            let name = e.name_bytes().to_vec();
            let oid = e.id();
            if prev.get(&name) == Some(&oid) {
                continue;
            }
            prev.insert(name.clone(), oid);
            let folder = repo.find_tree(oid).unwrap();
            trees_read += 1;
            let files: HashMap<Vec<u8>, git2::Oid> = folder
                .iter()
                .map(|e| (e.name_bytes().to_vec(), e.id()))
                .collect();
            let old = prev_files.remove(&name).unwrap_or_default();
            for (f, b) in &files {
                if old.get(f) != Some(b) {
                    blobs.push(*b);
                }
            }
            prev_files.insert(name, files);
        }
    }
    let t_trees = t0.elapsed();
    let mut bytes = 0;
    for b in &blobs {
        bytes += repo.find_blob(*b).unwrap().content().len();
    }
    let t_blobs = t0.elapsed();
    println!(
        "git2: list {:?} ({} commits), trees {:?} ({} trees), blobs {:?} ({} blobs, {} bytes), total {:?}",
        t_list,
        list.len(),
        t_trees - t_list,
        trees_read,
        t_blobs - t_trees,
        blobs.len(),
        bytes,
        t_blobs
    );
}
