//! The progress of long runs, on stderr: a spinner while a large data file is read, then a bar of
//! the units scored. Shown only on a terminal and for runs long enough to want one (stderr
//! redirected to a file or a pipe gets nothing, so logs and scripts see no escape codes).

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::text::Lang;

/// Fewer units than this score in about a second: no bar.
const MIN_UNITS: usize = 10_000;
/// A data file smaller than this is read in well under a second: no spinner.
const MIN_BYTES: usize = 8 << 20;

/// A spinner or a bar, or nothing.
pub struct Progress(Option<ProgressBar>);

impl Progress {
    /// While a data file of `bytes` bytes is read.
    pub fn reading(lang: Lang, bytes: usize) -> Progress {
        if bytes < MIN_BYTES || !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} {elapsed}").unwrap_or(ProgressStyle::default_spinner()),
        );
        bar.set_message(lang.pick("reading the data…", "đang đọc số liệu…"));
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress(Some(bar))
    }

    /// While `units` units are ranked, then scored one by one ([`Self::scored`]).
    pub fn scoring(lang: Lang, units: usize) -> Progress {
        if units < MIN_UNITS || !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = ProgressBar::with_draw_target(Some(units as u64), ProgressDrawTarget::stderr());
        let template = lang.pick(
            "{msg} [{bar:30}] {human_pos}/{human_len} units, {eta} left",
            // The Vietnamese count is written without indicatif's `,` thousands separator.
            "{msg} [{bar:30}] {pos}/{len} đơn vị, còn {eta}",
        );
        bar.set_style(ProgressStyle::with_template(template).unwrap_or(ProgressStyle::default_bar()));
        bar.set_message(lang.pick("ranking…", "đang xếp hạng…"));
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress(Some(bar))
    }

    /// One more unit scored (its scorecard written).
    pub fn scored(&self, lang: Lang) {
        if let Some(bar) = &self.0 {
            if bar.position() == 0 {
                bar.set_message(lang.pick("scoring", "đang chấm điểm"));
            }
            bar.inc(1);
        }
    }
}

impl Drop for Progress {
    /// The bar leaves no line behind: what follows on stderr starts on a clean line.
    fn drop(&mut self) {
        if let Some(bar) = self.0.take() {
            bar.finish_and_clear();
        }
    }
}
