//! Sampling: the schemas of a dump with the first rows of each table,
//! decoded. Built on the row visitor ([`super::visit`]): rows are decoded
//! by the one masking path's codecs, never by a decoder of its own.

use std::io::Read;

use super::visit::{visit_reader, RowVisitor, VisitedRow};
use super::MaskOptions;
use crate::error::Result;
use crate::rules::Rules;
use crate::schema::{TableName, TableSchema};

/// A table's schema and its first rows: per row, per column, the raw value
/// (`None` for NULL or when the INSERT left the column out).
#[derive(Debug, Clone)]
pub struct TableSample {
    /// The table.
    pub schema: TableSchema,
    /// Up to the requested number of rows, in dump order.
    pub rows: Vec<Vec<Option<Vec<u8>>>>,
}

/// One sampled row.
type Row = Vec<Option<Vec<u8>>>;

/// Keeps the first `rows` rows of each table of a chunk.
struct Sampler {
    rows: usize,
}

impl RowVisitor for Sampler {
    type Part = Vec<(TableName, Vec<Row>)>;

    fn row(&self, part: &mut Self::Part, row: &VisitedRow<'_>) {
        let name = row.table().name();
        let i = match part.iter().rposition(|(n, _)| n == name) {
            Some(i) => i,
            None => {
                part.push((name.clone(), Vec::new()));
                part.len() - 1
            }
        };
        let taken = &mut part[i].1;
        if taken.len() < self.rows {
            taken.push(
                (0..row.len())
                    .map(|c| row.original(c).map(<[u8]>::to_vec))
                    .collect(),
            );
        }
    }
}

/// Read every `CREATE TABLE` of a dump and up to `rows` rows of each table.
pub fn sample_rows<R: Read + Send>(input: R, rows: usize) -> Result<Vec<TableSample>> {
    let mut samples: Vec<(TableName, Vec<Row>)> = Vec::new();
    let opts = MaskOptions {
        threads: 1,
        ..MaskOptions::default()
    };
    let visited = visit_reader(&Rules::empty(), input, &opts, &Sampler { rows }, |part| {
        for (name, got) in part {
            let i = match samples.iter().position(|(n, _)| *n == name) {
                Some(i) => i,
                None => {
                    samples.push((name, Vec::new()));
                    samples.len() - 1
                }
            };
            let taken = &mut samples[i].1;
            let room = rows.saturating_sub(taken.len());
            taken.extend(got.into_iter().take(room));
        }
    })?;
    Ok(visited
        .schemas
        .into_iter()
        .map(|schema| TableSample {
            rows: samples
                .iter_mut()
                .find(|(n, _)| *n == schema.name)
                .map(|(_, r)| std::mem::take(r))
                .unwrap_or_default(),
            schema,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_rows_of_each_table_decoded() {
        let dump = b"CREATE TABLE `a` (`id` int, `s` text);\nINSERT INTO `a` VALUES (1,'x\\'y'),(2,NULL),(3,'z');\n\
CREATE TABLE `b` (`v` varchar(3));\nINSERT INTO `b` VALUES ('q');\n";
        let s = sample_rows(&dump[..], 2).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(
            s[0].rows,
            vec![
                vec![Some(b"1".to_vec()), Some(b"x'y".to_vec())],
                vec![Some(b"2".to_vec()), None]
            ]
        );
        assert_eq!(s[1].rows, vec![vec![Some(b"q".to_vec())]]);
    }
}
