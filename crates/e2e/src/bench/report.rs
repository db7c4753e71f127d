//! The printed report: one table per section, figures next to their budgets,
//! and the small statistics the sections share.

/// The middle value (the mean of the two middle ones for an even count).
pub fn median(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    let mut v = xs.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

pub fn min_max(xs: &[f64]) -> (f64, f64) {
    xs.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| (lo.min(x), hi.max(x)))
}

/// `PASS` when the figure is within its budget, `OVER` when not.
pub fn verdict(within: bool) -> String {
    if within { "PASS" } else { "OVER" }.to_string()
}

pub fn ms(x: f64) -> String {
    if x.is_nan() {
        "n/a".into()
    } else if x < 10.0 {
        format!("{x:.2} ms")
    } else {
        format!("{x:.0} ms")
    }
}

/// A median with its spread: `123 ms (110–140)`.
pub fn ms_spread(xs: &[f64]) -> String {
    let (lo, hi) = min_max(xs);
    format!("{} ({}–{})", ms(median(xs)), ms(lo).trim_end_matches(" ms"), ms(hi).trim_end_matches(" ms"))
}

/// Bytes with thousands separators: `1,594,318`.
pub fn bytes(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn mib(n: f64) -> String {
    format!("{:.2} MiB", n / (1024.0 * 1024.0))
}

/// One section of the report.
pub struct Table {
    pub title: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// What was measured and how, printed under the table.
    pub notes: Vec<String>,
    /// Printed as it is before the rows (the size report's own text).
    pub preface: Option<String>,
    /// Figures with a budget, repeated in the closing summary:
    /// figure, value, budget, PASS/OVER.
    pub budgets: Vec<[String; 4]>,
}

impl Table {
    pub fn new(title: impl Into<String>, header: &[&str]) -> Table {
        Table {
            title: title.into(),
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
            notes: Vec::new(),
            preface: None,
            budgets: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// A figure to repeat in the summary of budgets.
    pub fn budget(
        &mut self,
        figure: impl Into<String>,
        value: impl Into<String>,
        budget: impl Into<String>,
        within: bool,
    ) {
        self.budgets.push([figure.into(), value.into(), budget.into(), verdict(within)]);
    }

    pub fn note(&mut self, text: impl Into<String>) {
        self.notes.push(text.into());
    }

    /// A section that could not be measured.
    pub fn failed(title: impl Into<String>, why: &str) -> Table {
        let mut t = Table::new(title, &[]);
        t.note(format!("COULD NOT RUN: {why}"));
        t
    }

    pub fn render(&self) -> String {
        let mut s = format!("\n== {} ==\n", self.title);
        if let Some(p) = &self.preface {
            s += p;
            s += "\n";
        }
        if !self.header.is_empty() {
            let cols = self.header.len();
            let width = |i: usize| {
                self.rows
                    .iter()
                    .chain(std::iter::once(&self.header))
                    .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
                    .max()
                    .unwrap_or(0)
            };
            let widths: Vec<usize> = (0..cols).map(width).collect();
            let line = |cells: &[String]| {
                let mut l = String::new();
                for (i, w) in widths.iter().enumerate() {
                    let cell = cells.get(i).map_or("", String::as_str);
                    let pad = w.saturating_sub(cell.chars().count());
                    // The first column reads left to right; figures line up on the right.
                    if i == 0 {
                        l += &format!("{cell}{}", " ".repeat(pad));
                    } else {
                        l += &format!("  {}{cell}", " ".repeat(pad));
                    }
                }
                l.trim_end().to_string() + "\n"
            };
            s += &line(&self.header);
            s += &format!("{}\n", "-".repeat(widths.iter().sum::<usize>() + 2 * (cols - 1)));
            for r in &self.rows {
                s += &line(r);
            }
        }
        for n in &self.notes {
            s += &wrap(n, 100, "  ");
        }
        s
    }
}

/// Wraps a note at `width` columns, each line after the first indented.
fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::from("* ");
    for word in text.split_whitespace() {
        if line.chars().count() + word.chars().count() + 1 > width && line.trim() != "*" {
            out += line.trim_end();
            out += "\n";
            line = indent.to_string();
        }
        line += word;
        line += " ";
    }
    out += line.trim_end();
    out += "\n";
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_spreads_and_bytes() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
        assert_eq!(bytes(1_594_318), "1,594,318");
        assert_eq!(bytes(999), "999");
        assert_eq!(ms_spread(&[10.0, 30.0, 20.0]), "20 ms (10–30)");
    }

    #[test]
    fn tables_line_up_and_notes_wrap() {
        let mut t = Table::new("x", &["route", "ms"]);
        t.row(vec!["/".into(), "5".into()]);
        t.row(vec!["/checkout".into(), "120".into()]);
        t.note("a ".repeat(80));
        let text = t.render();
        assert!(text.contains("/            5\n"), "{text}");
        assert!(text.contains("/checkout  120\n"), "{text}");
        assert!(text.lines().all(|l| l.chars().count() <= 100), "{text}");
    }
}
