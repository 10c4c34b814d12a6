//! Evaluating one indicator on generated data.

use super::*;

/// A file holding one indicator (with its sub-indicators), to score it alone against the full
/// rulebook's symbol table.
pub fn single_file(ind: &ast::Indicator) -> ast::File {
    ast::File { items: vec![Item::Indicator(ind.clone())] }
}

/// Scores one indicator for one unit.
pub fn score_one(env: &Env, file: &ast::File, id: &str, reported: &VecMap<String, Value>) -> IndicatorResult {
    let mut values = VecMap::new();
    values.insert(id.to_string(), reported.clone());
    let data = Dataset { units: vec![UnitData { id: "u".into(), values }] };
    let results = eval::evaluate(&chiso::sema::Lowered::lower(file, env), &data);
    results
        .units
        .into_iter()
        .next()
        .and_then(|u| u.indicators.into_iter().find(|i| i.id == id))
        .unwrap_or_else(|| panic!("indicator {id} has no result"))
}

/// The score before clamping.
pub fn raw(r: &IndicatorResult) -> Option<Num> {
    r.raw_score.clone().or_else(|| r.score.clone())
}

/// A cohort of units for the whole rulebook: every unit reports an admissible sample for most
/// indicators and leaves some out (so pillars can be incomplete).
pub fn gen_cohort(models: &[Model], t: &mut Tape, units: usize) -> Dataset {
    let mut ds = Dataset::default();
    for u in 0..units {
        let mut values = VecMap::new();
        for m in models {
            if t.chance(8) {
                continue;
            }
            // Some units on a threshold, where arms meet.
            let on_threshold = if t.chance(20) { gen_boundary_sample(m, t).map(|(s, _)| s) } else { None };
            // A few attempts: some facts reject many draws.
            if let Some(s) = on_threshold.or_else(|| (0..3).find_map(|_| gen_sample(m, t))) {
                values.insert(m.id.clone(), s.reported);
            }
        }
        ds.units.push(UnitData { id: format!("U{u:02}"), values });
    }
    ds
}

/// The dataset as a long-format CSV file.
pub fn to_csv(ds: &Dataset, env: &Env) -> String {
    // A percent is written with its sign, as data must be (`0.7` is `70%`).
    let is_percent = |ind: &str, input: &str| {
        env.indicators
            .get(ind)
            .is_some_and(|i| i.inputs.iter().any(|(n, t)| n == input && *t == chiso::sema::Ty::Percent))
    };
    fn cell(s: &str) -> String {
        if s.contains([',', '"', '\n', '\r']) || s.trim() != s || s.is_empty() {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    }
    let mut out = String::from("unit,indicator,input,value\n");
    for u in &ds.units {
        for (ind, inputs) in &u.values {
            for (name, v) in inputs {
                let text = match v {
                    Value::Num(n) if is_percent(ind, name) => format!("{}%", decimal_text(&n.mul(&Num::from_i64(100)))),
                    Value::Num(n) => decimal_text(n),
                    Value::Bool(b) => b.to_string(),
                    Value::Choice(c) | Value::Text(c) => c.clone(),
                };
                writeln!(out, "{},{},{},{}", cell(&u.id), cell(ind), cell(name), cell(&text)).unwrap();
            }
        }
    }
    out
}
