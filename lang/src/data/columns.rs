//! The reported values held by column: one vector per input, for scoring large cohorts.
//!
//! [`super::Dataset`] keeps each unit's values in maps of owned strings (tens of KiB a unit); a
//! million units do not fit. Here unit ids are held once, each (indicator, input) pair that was
//! reported is one [`Column`], and a number is an `i64` mantissa over the column's power of ten
//! (the scale grows as finer decimals arrive). A yes/no, a choice or a text is an index into the
//! column's small table of distinct values. The rare value that fits neither (more than 18
//! significant digits, a number in a yes/no column) sits in a side table by unit. Reading a cell
//! gives back exactly the [`Value`] that was put (tested against `Dataset` on random data).
//!
//! Loading fills this through the same reader, conversions and diagnostics as `Dataset`
//! (`super::load_columns`).

use crate::map::VecMap;

use super::{Dataset, UnitData};
use crate::eval::Value;
use crate::hash::FxHashMap;
use crate::num::Num;

/// No value reported.
const MISSING: i64 = i64::MIN;
/// The value is in the column's side table.
const ODD: i64 = i64::MIN + 1;
/// The largest scale: 10^18 fits an `i64`.
const MAX_SCALE: u32 = 18;
/// The most distinct yes/no, choice or text values a column interns before using its side table.
const MAX_SYMBOLS: usize = 4096;

/// What a column's cells hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Nothing yet.
    Empty,
    /// Numbers: mantissas over `10^scale`.
    Num,
    /// Indices into `symbols`.
    Symbol,
}

/// The values of one input across the units.
#[derive(Clone, Debug)]
pub struct Column {
    kind: Kind,
    scale: u32,
    cells: Vec<i64>,
    symbols: Vec<Value>,
    odd: FxHashMap<usize, Value>,
}

/// A cohort's values by column, unit ids interned.
#[derive(Clone, Debug, Default)]
pub struct Columns {
    ids: Ids,
    positions: UnitIndex,
    /// The inputs and columns of each indicator (or section), in order of first value.
    by_indicator: FxHashMap<String, Vec<(String, usize)>>,
    columns: Vec<Column>,
    /// How many units the text being read holds, at most, when known ([`Self::reserve_units`]):
    /// each new column is made that long at once.
    expected: usize,
}

/// The units' ids, in order of first appearance, in one text: a million ids are one allocation
/// rather than a million (and as many frees at the end).
#[derive(Clone, Debug, Default)]
struct Ids {
    text: String,
    /// Where each id ends in `text` (and the next begins).
    ends: Vec<usize>,
}

impl Ids {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn get(&self, u: usize) -> Option<&str> {
        let start = if u == 0 { 0 } else { *self.ends.get(u - 1)? };
        self.text.get(start..*self.ends.get(u)?)
    }

    fn push(&mut self, id: &str) {
        self.text.push_str(id);
        self.ends.push(self.text.len());
    }

    fn iter(&self) -> impl ExactSizeIterator<Item = &str> {
        (0..self.len()).map(|u| self.get(u).unwrap_or_default())
    }
}

/// The units' positions by id: an open-addressing table of (hash, position + 1) whose keys are
/// the ids in `Columns::ids`. An id is stored once (a map from `String` kept a second copy of a
/// million ids), and growing the table moves pairs of numbers without hashing any text again.
#[derive(Clone, Debug, Default)]
struct UnitIndex {
    /// A power of two of slots (or none), at most half full; `(_, 0)` is an empty slot.
    slots: Vec<(u32, u32)>,
    len: usize,
}

impl UnitIndex {
    fn hash(id: &str) -> u32 {
        let mut h = crate::hash::FxHasher::default();
        std::hash::Hasher::write(&mut h, id.as_bytes());
        // The multiply at the end of Fx mixes into the high bits.
        (std::hash::Hasher::finish(&h) >> 32) as u32
    }

    /// The position of `id`, or the empty slot where it goes.
    fn find(&self, ids: &Ids, id: &str, hash: u32) -> Result<usize, usize> {
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = hash as usize & mask;
        loop {
            match self.slots.get(i) {
                // No slot at all yet: slot 0 of the table `insert` makes.
                None => return Err(0),
                Some((_, 0)) => return Err(i),
                Some((h, p)) if *h == hash && ids.get(*p as usize - 1) == Some(id) => return Ok(*p as usize - 1),
                Some(_) => i = (i + 1) & mask,
            }
        }
    }

    /// Room for `n` units without growing (growing moves every pair).
    fn reserve(&mut self, n: usize) {
        let size = n.saturating_mul(2).checked_next_power_of_two().unwrap_or(0).max(16);
        if self.len == 0 && size > self.slots.len() {
            self.slots = vec![(0, 0); size];
        }
    }

    /// Puts `position + 1` (`at_one`) at the empty `slot` that [`Self::find`] gave.
    fn insert(&mut self, slot: usize, hash: u32, at_one: usize) {
        let at_one = u32::try_from(at_one).unwrap_or(u32::MAX);
        if (self.len + 1) * 2 > self.slots.len() {
            let size = (self.slots.len() * 2).max(16);
            let old = std::mem::replace(&mut self.slots, vec![(0, 0); size]);
            for (h, p) in old.into_iter().filter(|(_, p)| *p != 0) {
                self.put(h, p);
            }
            self.put(hash, at_one);
        } else if let Some(s) = self.slots.get_mut(slot) {
            *s = (hash, at_one);
        }
        self.len += 1;
    }

    /// Puts a pair at the first empty slot of its probe sequence.
    fn put(&mut self, hash: u32, at_one: u32) {
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        while self.slots.get(i).is_some_and(|(_, p)| *p != 0) {
            i = (i + 1) & mask;
        }
        if let Some(s) = self.slots.get_mut(i) {
            *s = (hash, at_one);
        }
    }
}

/// A run of a column's cells as stored, for the compiled evaluator's float filter: a cell is
/// [`Cells::MISSING`], [`Cells::ODD`] (read it with [`Column::get`]) or a value.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Cells<'c> {
    /// No value of any unit.
    Empty,
    /// Mantissas over `10^scale`.
    Num { scale: u32, cells: &'c [i64] },
    /// Indices into `symbols`.
    Symbol { cells: &'c [i64], symbols: &'c [Value] },
}

impl Cells<'_> {
    pub(crate) const MISSING: i64 = MISSING;
    pub(crate) const ODD: i64 = ODD;
}

impl Column {
    /// The stored cells of units `start..start + n` (fewer at the end: the units after the last
    /// one reported have no cell and are missing).
    pub(crate) fn cells(&self, start: usize, n: usize) -> Cells<'_> {
        let end = (start + n).min(self.cells.len());
        let cells = self.cells.get(start.min(end)..end).unwrap_or_default();
        match self.kind {
            Kind::Empty => Cells::Empty,
            Kind::Num => Cells::Num { scale: self.scale, cells },
            Kind::Symbol => Cells::Symbol { cells, symbols: &self.symbols },
        }
    }

    fn new() -> Column {
        Column { kind: Kind::Empty, scale: 0, cells: Vec::new(), symbols: Vec::new(), odd: FxHashMap::default() }
    }

    /// The value of unit `u`, if reported.
    pub fn get(&self, u: usize) -> Option<Value> {
        let cell = *self.cells.get(u)?;
        match cell {
            MISSING => None,
            ODD => self.odd.get(&u).cloned(),
            m => match self.kind {
                Kind::Num => Some(Value::Num(decimal(m, self.scale))),
                Kind::Symbol => usize::try_from(m).ok().and_then(|k| self.symbols.get(k)).cloned(),
                Kind::Empty => None,
            },
        }
    }

    /// Whether unit `u` reported a value.
    pub fn has(&self, u: usize) -> bool {
        self.cells.get(u).is_some_and(|c| *c != MISSING)
    }

    /// Makes room for unit `u`'s cell: one more, most of the time (units come in order).
    #[inline]
    fn reach(&mut self, u: usize) {
        if self.cells.len() == u {
            self.cells.push(MISSING);
        } else if self.cells.len() < u {
            self.cells.resize(u + 1, MISSING);
        }
    }

    /// Sets unit `u`'s value; whether it had one.
    fn set(&mut self, u: usize, v: Value) -> bool {
        self.reach(u);
        let had = self.has(u);
        self.odd.remove(&u);
        let cell = match v {
            Value::Num(n) if self.kind != Kind::Symbol => {
                self.kind = Kind::Num;
                match self.mantissa(&n) {
                    Some(m) => m,
                    None => {
                        self.odd.insert(u, Value::Num(n));
                        ODD
                    }
                }
            }
            Value::Num(n) => {
                self.odd.insert(u, Value::Num(n));
                ODD
            }
            other if self.kind != Kind::Num => {
                self.kind = Kind::Symbol;
                match self.symbols.iter().position(|s| *s == other) {
                    Some(k) => k as i64,
                    None if self.symbols.len() < MAX_SYMBOLS => {
                        self.symbols.push(other);
                        (self.symbols.len() - 1) as i64
                    }
                    None => {
                        self.odd.insert(u, other);
                        ODD
                    }
                }
            }
            other => {
                self.odd.insert(u, other);
                ODD
            }
        };
        if let Some(c) = self.cells.get_mut(u) {
            *c = cell;
        }
        had
    }

    /// [`Self::set`] of the whole number `n`, without making a `Value` of it.
    fn set_integer(&mut self, u: usize, n: i64) -> bool {
        // The common case, a whole number for the next unit of a column of whole numbers: it had
        // no value, and nothing else changes.
        if self.cells.len() == u && self.kind == Kind::Num && self.scale == 0 && n != MISSING && n != ODD {
            self.cells.push(n);
            return false;
        }
        if self.kind == Kind::Symbol {
            return self.set(u, Value::Num(Num::from_i64(n)));
        }
        self.reach(u);
        let had = self.has(u);
        if !self.odd.is_empty() {
            self.odd.remove(&u);
        }
        self.kind = Kind::Num;
        let m = 10i64.checked_pow(self.scale).and_then(|f| n.checked_mul(f)).filter(|m| *m != MISSING && *m != ODD);
        let cell = match m {
            Some(m) => m,
            None => {
                self.odd.insert(u, Value::Num(Num::from_i64(n)));
                ODD
            }
        };
        if let Some(c) = self.cells.get_mut(u) {
            *c = cell;
        }
        had
    }

    /// `n` as a mantissa over the column's scale, raising the scale when `n` needs more decimals;
    /// `None` when it does not fit.
    fn mantissa(&mut self, n: &Num) -> Option<i64> {
        let (m, s) = n.to_scaled_i64(MAX_SCALE)?;
        if s > self.scale {
            self.rescale(s);
        }
        let up = self.scale.checked_sub(s)?;
        let m = m.checked_mul(10i64.checked_pow(up)?)?;
        (m != MISSING && m != ODD).then_some(m)
    }

    /// Moves every number to the finer scale `s`; one that no longer fits goes to the side table.
    fn rescale(&mut self, s: u32) {
        let Some(factor) = 10i64.checked_pow(s - self.scale) else { return };
        let old = self.scale;
        for (u, c) in self.cells.iter_mut().enumerate() {
            if *c == MISSING || *c == ODD {
                continue;
            }
            match c.checked_mul(factor).filter(|m| *m != MISSING && *m != ODD) {
                Some(m) => *c = m,
                None => {
                    self.odd.insert(u, Value::Num(decimal(*c, old)));
                    *c = ODD;
                }
            }
        }
        self.scale = s;
    }
}

/// `m / 10^scale`.
fn decimal(m: i64, scale: u32) -> Num {
    Num::ratio(m, 10i64.pow(scale.min(MAX_SCALE))).unwrap_or_default()
}

impl Columns {
    /// The number of units.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there is no unit.
    pub fn is_empty(&self) -> bool {
        self.ids.len() == 0
    }

    /// The units' ids, in order of first appearance.
    pub fn ids(&self) -> impl ExactSizeIterator<Item = &str> {
        self.ids.iter()
    }

    /// The id of the unit at position `u`.
    pub fn id(&self, u: usize) -> Option<&str> {
        self.ids.get(u)
    }

    /// The unit with this id, added at the end when new.
    /// Room for `n` units: a wide table's rows, counted before reading, so that its columns, ids
    /// and index are allocated once rather than grown (and copied) a unit at a time.
    pub(crate) fn reserve_units(&mut self, n: usize) {
        self.expected = n;
        self.ids.ends.reserve_exact(n);
        self.positions.reserve(n);
        for c in &mut self.columns {
            c.cells.reserve_exact(n.saturating_sub(c.cells.len()));
        }
    }

    pub(crate) fn unit(&mut self, id: &str) -> usize {
        // A unit's values usually come together (a row of a wide file, consecutive long rows).
        let last = self.ids.len().wrapping_sub(1);
        if self.ids.get(last) == Some(id) {
            return last;
        }
        let hash = UnitIndex::hash(id);
        match self.positions.find(&self.ids, id, hash) {
            Ok(p) => p,
            Err(slot) => {
                self.ids.push(id);
                self.positions.insert(slot, hash, self.ids.len());
                self.ids.len() - 1
            }
        }
    }

    /// Stores a value; whether the unit had already reported it.
    pub(crate) fn put(&mut self, unit: usize, ind: &str, input: &str, v: Value) -> bool {
        let c = self.column_for(ind, input);
        self.set(c, unit, v)
    }

    /// [`Self::set`] of a whole number.
    pub(crate) fn set_integer(&mut self, c: usize, unit: usize, n: i64) -> bool {
        self.columns.get_mut(c).is_some_and(|col| col.set_integer(unit, n))
    }

    /// The column of an indicator's input, made when it has none yet.
    pub(crate) fn column_for(&mut self, ind: &str, input: &str) -> usize {
        match self.column_index(ind, input) {
            Some(c) => c,
            None => {
                let mut column = Column::new();
                column.cells.reserve_exact(self.expected);
                self.columns.push(column);
                let c = self.columns.len() - 1;
                self.by_indicator.entry(ind.to_string()).or_default().push((input.to_string(), c));
                c
            }
        }
    }

    /// Stores a value in column `c` (from [`Self::column_for`]); whether the unit had already
    /// reported it.
    pub(crate) fn set(&mut self, c: usize, unit: usize, v: Value) -> bool {
        self.columns.get_mut(c).is_some_and(|col| col.set(unit, v))
    }

    /// The column of an indicator's (or section's) input, when any unit reported it.
    pub fn column(&self, ind: &str, input: &str) -> Option<&Column> {
        self.column_index(ind, input).and_then(|c| self.columns.get(c))
    }

    /// [`Self::column`]'s position, for [`Self::at`].
    pub fn column_index(&self, ind: &str, input: &str) -> Option<usize> {
        self.by_indicator.get(ind)?.iter().find(|(i, _)| i == input).map(|(_, c)| *c)
    }

    /// The column at a position from [`Self::column_index`].
    pub fn at(&self, c: usize) -> Option<&Column> {
        self.columns.get(c)
    }

    /// Whether unit `u` reported any value of the indicator (as `Dataset` has a map for it).
    pub fn reported(&self, u: usize, ind: &str) -> bool {
        self.by_indicator
            .get(ind)
            .is_some_and(|cs| cs.iter().any(|(_, c)| self.columns.get(*c).is_some_and(|c| c.has(u))))
    }

    /// Every cell of unit `u` as stored, `None` when one is in a side table: two units with the
    /// same cells reported the same values, so they score the same.
    pub(crate) fn signature(&self, u: usize) -> Option<Vec<i64>> {
        self.columns
            .iter()
            .map(|c| c.cells.get(u).copied().unwrap_or(MISSING))
            .map(|m| (m != ODD).then_some(m))
            .collect()
    }

    /// Whether every unit of `units` has the same cells as the first, none in a side table: as
    /// comparing their [`Self::signature`]s, a column at a time (each column's cells lie
    /// together), without making one.
    pub(crate) fn same_cells(&self, units: &[u32]) -> bool {
        let Some(first) = units.first() else { return false };
        let cell = |c: &Column, u: u32| c.cells.get(u as usize).copied().unwrap_or(MISSING);
        self.columns.iter().all(|c| {
            let f = cell(c, *first);
            f != ODD && units.iter().all(|u| cell(c, *u) == f)
        })
    }

    /// The columns of an indicator's (or section's) inputs.
    pub(crate) fn indicator_columns(&self, ind: &str) -> impl Iterator<Item = &Column> + '_ {
        self.by_indicator.get(ind).into_iter().flatten().filter_map(|(_, c)| self.columns.get(*c))
    }

    /// Unit `u`'s values of one indicator, as `Dataset` holds them.
    pub fn values(&self, u: usize, ind: &str) -> Option<VecMap<String, Value>> {
        let mut out = VecMap::new();
        for (input, c) in self.by_indicator.get(ind)? {
            if let Some(v) = self.columns.get(*c).and_then(|col| col.get(u)) {
                out.insert(input.clone(), v);
            }
        }
        (!out.is_empty()).then_some(out)
    }

    /// Unit `u` as `Dataset` holds it.
    pub fn unit_data(&self, u: usize) -> Option<UnitData> {
        let id = self.ids.get(u)?.to_string();
        let mut values: VecMap<String, VecMap<String, Value>> = VecMap::new();
        for (ind, cs) in &self.by_indicator {
            for (input, c) in cs {
                if let Some(v) = self.columns.get(*c).and_then(|col| col.get(u)) {
                    values.entry(ind.clone()).or_default().insert(input.clone(), v);
                }
            }
        }
        Some(UnitData { id, values })
    }

    /// The same values by column.
    pub fn from_dataset(data: &Dataset) -> Columns {
        let mut cols = Columns::default();
        for unit in &data.units {
            let u = cols.unit(&unit.id);
            for (ind, inputs) in &unit.values {
                for (input, v) in inputs {
                    cols.put(u, ind, input, v.clone());
                }
            }
        }
        cols
    }

    /// The same values by unit.
    pub fn to_dataset(&self) -> Dataset {
        Dataset { units: (0..self.len()).filter_map(|u| self.unit_data(u)).collect() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(text: &str) -> Value {
        Value::Num(Num::parse_decimal(text).unwrap())
    }

    /// Unit ids get positions in order of first appearance, and every id finds its own again
    /// across the table's growth, in any order, Vietnamese and look-alike ids included.
    #[test]
    fn units_are_found_again_in_any_order() {
        let mut columns = Columns::default();
        let ids: Vec<String> =
            (0..5_000).map(|i| if i % 3 == 0 { format!("Xã {i}") } else { format!("U{i:05}") }).collect();
        for (k, id) in ids.iter().enumerate() {
            assert_eq!(columns.unit(id), k);
        }
        let mut state = 0x9e37_79b9_u64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let k = (state % ids.len() as u64) as usize;
            assert_eq!(columns.unit(&ids[k]), k);
        }
        assert_eq!(columns.unit("U00001 "), ids.len(), "a different id is a new unit");
        assert_eq!(columns.ids().len(), ids.len() + 1);
    }

    /// Every value comes back as put: finer decimals raise the scale, a raised scale pushes a
    /// big mantissa to the side table, values of another kind and too many digits go there too.
    #[test]
    fn values_come_back_as_put() {
        let values = [
            num("922337203685477580"),
            num("12"),
            num("0.5"),
            num("-0.000001"),
            num("9223372036854775807"),
            num("-9223372036854775808"),
            num("123456789012345678901234567890"),
            num("0.0000000000000000001"),
            Value::Bool(true),
            num("6.03"),
        ];
        let mut cols = Columns::default();
        for (k, v) in values.iter().enumerate() {
            let u = cols.unit(&format!("U{k}"));
            assert!(!cols.put(u, "1.1", "a", v.clone()));
        }
        let missing = cols.unit("none");
        let col = cols.column("1.1", "a").unwrap();
        for (k, v) in values.iter().enumerate() {
            assert_eq!(col.get(k).as_ref(), Some(v), "unit {k}");
        }
        assert_eq!(col.get(missing), None);
        assert!(!cols.reported(missing, "1.1") && cols.reported(0, "1.1"));
        // Reported again: the new value, and the caller is told.
        assert!(cols.put(1, "1.1", "a", num("7")));
        assert_eq!(cols.column("1.1", "a").unwrap().get(1), Some(num("7")));
    }

    /// Whole numbers stored without a `Value` are stored as `set` stores them: at the column's
    /// scale (raised by a decimal before or after), in the side table when the scaled number does
    /// not fit or the column holds symbols, and a second value is reported.
    #[test]
    fn integers_are_stored_as_values_are() {
        let sequences: [&[Value]; 3] = [
            &[num("12"), num("0.001"), num("922337203685477580"), num("7")],
            &[num("0.5"), num("9223372036854775807"), num("0")],
            &[Value::Bool(true), num("12"), num("3")],
        ];
        for values in sequences {
            let (mut by_value, mut by_integer) = (Columns::default(), Columns::default());
            for (k, v) in values.iter().enumerate() {
                let id = format!("U{k}");
                let (a, b) = (by_value.unit(&id), by_integer.unit(&id));
                let c = by_integer.column_for("1.1", "a");
                let twice = match v {
                    Value::Num(n) if n.is_integer() => by_integer.set_integer(c, b, n.to_i64().unwrap()),
                    other => by_integer.set(c, b, other.clone()),
                };
                assert_eq!(twice, by_value.put(a, "1.1", "a", v.clone()));
            }
            assert!(by_integer.set_integer(0, 0, 4) && by_value.put(0, "1.1", "a", num("4")));
            let (x, y) = (by_value.column("1.1", "a").unwrap(), by_integer.column("1.1", "a").unwrap());
            for u in 0..values.len() {
                assert_eq!(y.get(u), x.get(u), "{values:?}, unit {u}");
            }
            assert_eq!((y.kind, y.scale, &y.cells), (x.kind, x.scale, &x.cells));
        }
    }

    #[test]
    fn choices_and_texts_are_interned() {
        let mut cols = Columns::default();
        let words = [Value::Choice("co".into()), Value::Text("x".into()), Value::Choice("co".into()), num("1")];
        for (k, v) in words.iter().enumerate() {
            let u = cols.unit(&k.to_string());
            cols.put(u, "2.1", "c", v.clone());
        }
        let col = cols.column("2.1", "c").unwrap();
        assert_eq!(col.symbols.len(), 2);
        for (k, v) in words.iter().enumerate() {
            assert_eq!(col.get(k).as_ref(), Some(v));
        }
    }

    /// `same_cells` says what comparing the units' signatures says: missing cells, numbers,
    /// a value in the side table (never the same), and more columns than one unit reported.
    #[test]
    fn same_cells_compares_as_signatures_do() {
        let mut cols = Columns::default();
        let rows: [&[(&str, Value)]; 6] = [
            &[("a", num("1")), ("b", num("2.5"))],
            &[("a", num("1")), ("b", num("2.5"))],
            &[("a", num("1"))],
            &[("a", num("1")), ("b", num("2.50"))],
            &[("a", num("1")), ("b", num("0.000000000000000000000001"))],
            &[("a", num("1")), ("b", num("0.000000000000000000000001"))],
        ];
        for (k, row) in rows.iter().enumerate() {
            let u = cols.unit(&k.to_string());
            for (input, v) in row.iter() {
                cols.put(u, "1.1", input, v.clone());
            }
        }
        let by_signature = |us: &[u32]| {
            us.iter().all(|u| cols.signature(*u as usize) == cols.signature(us[0] as usize))
                && cols.signature(us[0] as usize).is_some()
        };
        for us in [&[0u32, 1][..], &[0, 2], &[0, 3], &[1, 0, 3], &[4, 5], &[2], &[0, 1, 2]] {
            assert_eq!(cols.same_cells(us), by_signature(us), "{us:?}");
        }
        assert!(!cols.same_cells(&[]));
    }
}
