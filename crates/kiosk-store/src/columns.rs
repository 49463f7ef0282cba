//! Reading typed values out of text columns.

/// Reads text column `at` and parses it with `parse`. A value `parse` does not know (a row
/// written by a newer version, or tampered with) is a conversion error that names `what`.
pub(crate) fn parsed<T>(
    row: &rusqlite::Row<'_>,
    at: usize,
    what: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> rusqlite::Result<T> {
    let text: String = row.get(at)?;
    parse(&text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            at,
            rusqlite::types::Type::Text,
            format!("unknown {what} {text}").into(),
        )
    })
}
