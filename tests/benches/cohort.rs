//! Cohort scaling benchmark: scores the starter rulebook (with min-max and relative-to-best
//! indicators) for cohorts of 1,000 and 10,000 units and prints the time per unit and the ratio.
//! Linear growth shows as a ratio near 10 for 10× the units. Figures only: machines are shared
//! and noisy, so nothing is asserted about time.
//!
//! Run: `cargo bench -p chiso-tests --bench cohort` (add `-- 63` style arguments to pick sizes).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Instant;

use chiso::data::{self, Format};
use chiso::Locale;
use chiso_tests::{analyze, root};

fn cohort_csv(units: usize) -> String {
    let mut s = String::from("unit,indicator,input,value\n");
    for u in 0..units {
        // Deterministic, varied values.
        let k = (u * 7919) % 1000;
        let id = format!("U{u:05}");
        let rows = [
            ("3.1", "a", 400 + k),
            ("3.1", "b", 1400 + k),
            ("6.12", "a", 1000 + k),
            ("6.12", "b", 300 + k / 2),
            ("6.12", "c", 200 + k / 3),
            ("6.8", "a", 100 + k % 50),
            ("6.8", "b", 150),
            ("6.21", "n", k % 13),
            ("4.5", "a", k),
            ("4.5", "b", 2000),
            ("7.10", "a", 10 + k),
            ("7.10", "b", 3000),
        ];
        for (ind, input, v) in rows {
            s.push_str(&format!("{id},{ind},{input},{v}\n"));
        }
        s.push_str(&format!("{id},1.1,truong_ban,pho\n{id},3.5,trien_khai,chua\n{id},3.5,ket_noi,true\n"));
        s.push_str(&format!("{id},5.12.2,a,1.5\n{id},5.12.1,a,1\n{id},5.12.1,c,20\n{id},5.12.3,a,2\n"));
    }
    s
}

fn main() {
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![1_000, 10_000] } else { sizes };
    let text = std::fs::read_to_string(root().join("examples/starter/starter.chiso")).unwrap();
    let (parse, checked) = analyze(&text);
    let mut previous: Option<(usize, f64)> = None;
    for n in sizes {
        let csv = cohort_csv(n);
        let t0 = Instant::now();
        let (dataset, diags) = data::load(&csv, Format::Csv, &checked.env, Some(Locale::En));
        assert!(diags.is_empty(), "{diags:?}");
        let load = t0.elapsed().as_secs_f64();
        let t1 = Instant::now();
        let results = chiso::eval::evaluate(&chiso::sema::Lowered::lower(&parse.file, &checked.env), &dataset);
        let eval = t1.elapsed().as_secs_f64();
        assert_eq!(results.units.len(), n);
        print!("units {n:>7}: load {load:.3}s, evaluate {eval:.3}s ({:.1} µs/unit)", eval * 1e6 / n as f64);
        if let Some((pn, pt)) = previous {
            print!("; ×{:.1} units took ×{:.2} time", n as f64 / pn as f64, eval / pt);
        }
        println!();
        previous = Some((n, eval));
    }
}
