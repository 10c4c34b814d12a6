//! The tape: a source of choices that proptest generates and shrinks.

/// A source of choices: proptest generates (and shrinks) the numbers.
pub struct Tape<'a> {
    data: &'a [u32],
    pos: usize,
    tail: Option<u64>,
}

impl<'a> Tape<'a> {
    /// A tape over `data`; reads past the end give 0.
    pub fn new(data: &'a [u32]) -> Tape<'a> {
        Tape { data, pos: 0, tail: None }
    }
    /// An endless tape: `data`, then numbers derived from `seed` (for large cohorts, where a
    /// generated tape would be too long to shrink usefully anyway).
    pub fn seeded(data: &'a [u32], seed: u64) -> Tape<'a> {
        Tape { data, pos: 0, tail: Some(seed) }
    }
    /// The next raw number.
    pub fn next_u32(&mut self) -> u32 {
        let v = match (self.data.get(self.pos), self.tail) {
            (Some(v), _) => *v,
            (None, Some(seed)) => {
                // splitmix64
                let mut z = seed.wrapping_add((self.pos as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
                z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                (z ^ (z >> 31)) as u32
            }
            (None, None) => 0,
        };
        self.pos += 1;
        v
    }
    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            self.next_u32() as usize % n
        }
    }
    /// True with roughly `percent`% probability; false on an exhausted tape.
    pub fn chance(&mut self, percent: u32) -> bool {
        let p = percent.min(100);
        p > 0 && self.next_u32() % 100 >= 100 - p
    }
    /// One of `items` (the first on an exhausted tape). Panics on an empty slice.
    pub fn pick<'b, T>(&mut self, items: &'b [T]) -> &'b T {
        let i = self.below(items.len());
        &items[i]
    }
    /// An index chosen with the given weights (index 0 on an exhausted tape).
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        if total == 0 {
            return 0;
        }
        let mut r = self.next_u32() % total;
        for (i, w) in weights.iter().enumerate() {
            if r < *w {
                return i;
            }
            r -= w;
        }
        0
    }
}
