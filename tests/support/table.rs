//! The timing table printed at the end of a run: one row per stage, one column per case.

use std::time::Duration;

/// How a stage went for one case.
#[derive(Debug, Clone, Copy)]
pub enum Cell {
    Time(Duration),
    Failed(Duration),
    Skipped,
}

impl Cell {
    pub fn duration(&self) -> Option<Duration> {
        match self {
            Cell::Time(d) | Cell::Failed(d) => Some(*d),
            Cell::Skipped => None,
        }
    }

    fn text(&self) -> String {
        match self {
            Cell::Time(d) => format!("{:.1}", d.as_secs_f64()),
            Cell::Failed(d) => format!("FAIL {:.1}", d.as_secs_f64()),
            Cell::Skipped => "skip".to_owned(),
        }
    }
}

/// One column of the table.
#[derive(Debug, Clone)]
pub struct Column {
    pub title: String,
    pub cells: Vec<(String, Cell)>,
}

/// Renders the columns as a table of seconds, stages in the order they first appear,
/// with a total row. A stage a column never reached shows `-`.
pub fn render(columns: &[Column]) -> String {
    let mut stages: Vec<&str> = Vec::new();
    for column in columns {
        for (stage, _) in &column.cells {
            if !stages.contains(&stage.as_str()) {
                stages.push(stage);
            }
        }
    }
    let label_width = stages
        .iter()
        .map(|s| s.len())
        .max()
        .unwrap_or(0)
        .max("stage (s)".len());
    let widths: Vec<usize> = columns.iter().map(|c| c.title.len().max(8)).collect();

    let mut out = String::new();
    let mut line = |label: &str, cells: Vec<String>| {
        out.push_str(&format!("{label:<label_width$}"));
        for (cell, width) in cells.iter().zip(&widths) {
            out.push_str(&format!("  {cell:>width$}"));
        }
        out.push('\n');
    };
    line(
        "stage (s)",
        columns.iter().map(|c| c.title.clone()).collect(),
    );
    for stage in &stages {
        let cells = columns
            .iter()
            .map(|column| {
                column
                    .cells
                    .iter()
                    .find(|(name, _)| name == stage)
                    .map_or_else(|| "-".to_owned(), |(_, cell)| cell.text())
            })
            .collect();
        line(stage, cells);
    }
    let totals = columns
        .iter()
        .map(|column| {
            let total: Duration = column.cells.iter().filter_map(|(_, c)| c.duration()).sum();
            format!("{:.1}", total.as_secs_f64())
        })
        .collect();
    line("total", totals);
    out
}
