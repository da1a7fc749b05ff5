//! Bounds on what a workbook may make the reader do: a zip bomb, a sheet
//! whose two cells span a billion rows or a 2 GB string must end in an Italian
//! diagnostic within a second, never in an abort, a hang or a crash. A panic
//! inside the third-party reader is caught here and reported as a damaged
//! file. The limits are documented in docs/cartella-di-lavoro.md.

use crate::diag::{Diagnostic, a1};
use calamine::{Data, Range};
use std::cell::Cell as StdCell;
use std::io::{Read, Seek};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

/// Most entries a workbook's zip may hold: a real workbook has a few dozen
/// (sheets, styles, pictures); tens of thousands only make the reader slow.
pub const MAX_ZIP_ENTRIES: usize = 10_000;

/// Most bytes one zip entry may inflate to. A sheet of 100 000 filled rows
/// is about 60 MB of XML; a zip bomb of 3 MB inflates to gigabytes. Reading
/// one entry of this size (a single string) peaks near three times it.
pub const MAX_ENTRY_BYTES: u64 = 128 * 1024 * 1024;

/// Most bytes all entries together may inflate to.
pub const MAX_TOTAL_BYTES: u64 = 256 * 1024 * 1024;

/// Most non-empty cells a workbook may hold: the largest real plans have a
/// few tens of thousands; two million keep the memory under 200 MB.
pub const MAX_CELLS: usize = 2_000_000;

/// Most cells of the rectangle a sheet's used cells span (rows × columns):
/// the reader holds that rectangle in memory, 32 bytes a cell.
pub const MAX_AREA: u64 = 4_000_000;

/// Most characters in one cell: the limit of Excel itself.
pub const MAX_TEXT_CHARS: usize = 32_767;

/// Checks a zip-based workbook (xlsx, xlsm, ods) before any reader inflates
/// it: the number of entries and the bytes each one really inflates to (not
/// the size the archive declares, which a forged file can understate). An
/// entry that cannot be inflated makes the file damaged. Files that are not
/// zip archives pass: the reader will say what they are.
#[allow(clippy::result_large_err)] // Diagnostic is the house error type.
pub fn check_zip<R: Read + Seek>(reader: R) -> Result<(), Diagnostic> {
    let too_large = |reason: String| {
        Diagnostic::error(format!("file troppo grande una volta decompresso: {reason}"))
            .hint("un foglio di lavoro reale occupa pochi MB; salvare di nuovo il file con Excel o LibreOffice")
    };
    let Ok(mut zip) = zip::ZipArchive::new(reader) else { return Ok(()) };
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(too_large(format!(
            "l'archivio contiene {} parti, più delle {} ammesse",
            zip.len(),
            crate::fmt::plain(MAX_ZIP_ENTRIES.into())
        )));
    }
    let mut total = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let mut entry = match zip.by_index(i) {
            Ok(e) => e,
            Err(e) => return Err(damaged(format!("parte {} dell'archivio: {e}", i + 1))),
        };
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        // An ods sheet's cells are checked once inflated (within the limits).
        let mut content = (name == "content.xml").then(Vec::new);
        let mut size = 0u64;
        loop {
            match entry.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    if let Some(c) = content.as_mut() {
                        c.extend_from_slice(&buf[..n]);
                    }
                    size += n as u64;
                    total += n as u64;
                    if size > MAX_ENTRY_BYTES {
                        return Err(too_large(format!(
                            "la parte «{name}» dell'archivio si espande oltre {} MB (limite per parte)",
                            MAX_ENTRY_BYTES / (1024 * 1024)
                        )));
                    }
                    if total > MAX_TOTAL_BYTES {
                        return Err(too_large(format!(
                            "l'archivio si espande oltre {} MB (limite complessivo)",
                            MAX_TOTAL_BYTES / (1024 * 1024)
                        )));
                    }
                }
                Err(e) => return Err(damaged(format!("parte «{name}»: {e}"))),
            }
        }
        if let Some(c) = content
            && ods_area(&String::from_utf8_lossy(&c)) > MAX_AREA
        {
            return Err(damaged("un foglio ripete righe o celle compilate su un'area fuori misura".to_string()));
        }
    }
    Ok(())
}

/// True when an XML tag's text (between `<` and `>`) opens element `name`.
fn named(tag: &str, name: &str) -> bool {
    tag.strip_prefix(name).is_some_and(|r| r.is_empty() || r.starts_with([' ', '/', '\n', '\t', '\r']))
}

/// The largest rectangle calamine would build for a table of an ods
/// `content.xml`: from the first to the last row holding a value, times
/// the furthest column holding one, with `number-rows-repeated` and
/// `number-columns-repeated` expanded (a 23 KB file can repeat one row of
/// values 700 000 times). An upper bound: any cell with a value type or
/// content counts.
fn ods_area(xml: &str) -> u64 {
    let repeat = |tag: &str, attr: &str| -> u64 {
        tag.find(attr).and_then(|i| tag[i + attr.len()..].split('"').next()).and_then(|n| n.parse().ok()).unwrap_or(1)
    };
    let (mut largest, mut rows, mut first, mut last, mut cols) = (0u64, 0u64, None::<u64>, 0u64, 0u64);
    let (mut row_repeat, mut col, mut row_cols) = (1u64, 0u64, 0u64);
    let mut rest = xml;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>') else { break };
        let tag = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        let closed = tag.ends_with('/');
        if named(tag, "table:table") {
            (rows, first, last, cols) = (0, None, 0, 0);
        } else if tag == "/table:table" {
            let area = first.map_or(0, |f| last.saturating_sub(f).saturating_mul(cols));
            largest = largest.max(area);
        } else if named(tag, "table:table-row") {
            (row_repeat, col, row_cols) = (repeat(tag, "table:number-rows-repeated=\""), 0, 0);
            if closed {
                rows = rows.saturating_add(row_repeat);
            }
        } else if tag == "/table:table-row" {
            if row_cols > 0 {
                first = first.or(Some(rows));
                last = rows.saturating_add(row_repeat);
                cols = cols.max(row_cols);
            }
            rows = rows.saturating_add(row_repeat);
        } else if named(tag, "table:table-cell") || named(tag, "table:covered-table-cell") {
            let n = repeat(tag, "table:number-columns-repeated=\"");
            col = col.saturating_add(n);
            if !closed || tag.contains("office:value-type") {
                row_cols = col;
            }
        }
    }
    largest
}

/// Checks a legacy `.xls` (a compound file holding a BIFF stream) before
/// calamine parses it: calamine reserves memory for the rectangle a sheet's
/// DIMENSIONS record declares and for the one its cells span, so one altered
/// record asks for hundreds of gigabytes and aborts the process. The
/// workbook stream is located by a minimal compound-file walk and every
/// sheet's declared and used rectangle is checked against [`MAX_AREA`].
/// Anything this walk does not understand passes: calamine then reports it
/// (or panics, caught by [`catch_panic`]).
#[allow(clippy::result_large_err)] // Diagnostic is the house error type.
pub fn check_xls(bytes: &[u8]) -> Result<(), Diagnostic> {
    let Some(stream) = cfb_workbook_stream(bytes) else { return Ok(()) };
    let area = |r0: u64, r1: u64, c0: u64, c1: u64| {
        (r1.saturating_sub(r0) + 1).saturating_mul(c1.saturating_sub(c0) + 1) > MAX_AREA
    };
    let too_large = || damaged("un foglio dichiara o usa un'area di celle fuori misura".to_string());
    let (mut min, mut max) = ((u64::MAX, u64::MAX), (0u64, 0u64));
    let mut at = 0usize;
    while at + 4 <= stream.len() {
        let typ = u16::from_le_bytes([stream[at], stream[at + 1]]);
        let len = usize::from(u16::from_le_bytes([stream[at + 2], stream[at + 3]]));
        let Some(data) = stream.get(at + 4..at + 4 + len) else { break };
        at += 4 + len;
        let u16_at = |i: usize| data.get(i..i + 2).map(|b| u64::from(u16::from_le_bytes([b[0], b[1]])));
        let u32_at = |i: usize| data.get(i..i + 4).map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])));
        match typ {
            // BOF: a new substream (sheet).
            0x0809 => (min, max) = ((u64::MAX, u64::MAX), (0, 0)),
            // DIMENSIONS, read as calamine reads it (its u32 arithmetic
            // wraps: first row above last row asks for 4 billion rows).
            0x0200 => {
                let dims = match len {
                    10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
                    14 | 16 => (u32_at(0), u32_at(4), u16_at(8), u16_at(10)),
                    _ => continue,
                };
                if let (Some(rf), Some(rl), Some(cf), Some(cl)) = dims {
                    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
                    if rl >= 1 && cl >= 1 {
                        let span =
                            |first: u64, last: u64| u64::from((last as u32).wrapping_sub(first as u32).wrapping_add(1));
                        if span(rf, rl - 1).saturating_mul(span(cf, cl - 1)) > MAX_AREA {
                            return Err(too_large());
                        }
                    }
                }
            }
            // Cell records: row and column first.
            0x0006 | 0x00BD | 0x00D6 | 0x00FD | 0x0201 | 0x0203 | 0x0204 | 0x0205 | 0x027E => {
                let (Some(row), Some(col)) = (u16_at(0), u16_at(2)) else { continue };
                // MULRK spans columns: its last column ends the record.
                let last = if typ == 0x00BD { len.checked_sub(2).and_then(u16_at).unwrap_or(col) } else { col };
                min = (min.0.min(row), min.1.min(col));
                max = (max.0.max(row), max.1.max(last.max(col)));
                if area(min.0, max.0, min.1, max.1) {
                    return Err(too_large());
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The `Workbook` (or `Book`) stream of a compound file, or `None` when
/// the file is not one this minimal walk follows. Chains are bounded by the
/// number of sectors, so a looping chain ends.
fn cfb_workbook_stream(bytes: &[u8]) -> Option<Vec<u8>> {
    const FREE: u32 = 0xFFFF_FFFA;
    if !bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) || bytes.len() < 512 {
        return None;
    }
    let u16_at = |i: usize| bytes.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
    let u32_at = |b: &[u8], i: usize| b.get(i..i + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    let shift = u16_at(0x1E)?;
    if !(7..=16).contains(&shift) {
        return None;
    }
    let size = 1usize << shift;
    let sectors = bytes.len() / size;
    let sector = |id: u32| -> Option<&[u8]> {
        let start = (id as usize).checked_add(1)?.checked_mul(size)?;
        bytes.get(start..start + size)
    };
    // The FAT, from the header's DIFAT and the DIFAT chain.
    let mut difat: Vec<u32> = (0..109).filter_map(|i| u32_at(bytes, 0x4C + 4 * i)).collect();
    let mut next = u32_at(bytes, 0x44)?;
    let mut steps = 0;
    while next < FREE && steps <= sectors {
        let s = sector(next)?;
        difat.extend((0..size / 4 - 1).filter_map(|i| u32_at(s, 4 * i)));
        next = u32_at(s, size - 4)?;
        steps += 1;
    }
    let mut fat = Vec::new();
    for id in difat.into_iter().filter(|id| *id < FREE).take(sectors + 1) {
        let s = sector(id)?;
        fat.extend((0..size / 4).filter_map(|i| u32_at(s, 4 * i)));
    }
    let chain = |first: u32, fat: &[u32], unit: usize, read: &dyn Fn(u32) -> Option<Vec<u8>>| -> Option<Vec<u8>> {
        let mut out = Vec::new();
        let mut id = first;
        let mut steps = 0;
        while id < FREE {
            steps += 1;
            if steps > fat.len() + 1 || out.len() > bytes.len() {
                return None;
            }
            out.extend(read(id)?);
            id = *fat.get(id as usize)?;
        }
        let _ = unit;
        Some(out)
    };
    let big = |id: u32| sector(id).map(<[u8]>::to_vec);
    let dir = chain(u32_at(bytes, 0x30)?, &fat, size, &big)?;
    let entry = |i: usize| dir.get(i * 128..i * 128 + 128);
    let root = entry(0)?;
    let (mut found, mut i) = (None, 0);
    while let Some(e) = entry(i) {
        let name_len = usize::from(u16::from_le_bytes([e[64], e[65]])).min(64);
        let name: String = char::decode_utf16(
            e[..name_len].chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).take_while(|c| *c != 0),
        )
        .filter_map(Result::ok)
        .collect();
        if e[66] == 2 && (name == "Workbook" || name == "Book") {
            found = Some(e);
            break;
        }
        i += 1;
    }
    let e = found?;
    let start = u32_at(e, 116)?;
    let len = u32_at(e, 120)? as usize;
    let cutoff = u32_at(bytes, 0x38)? as usize;
    let mut data = if len < cutoff {
        // In the mini stream: 64-byte sectors inside the root's stream.
        let mini_shift = u16_at(0x20)?;
        let mini = 1usize << mini_shift.min(12);
        let mini_fat_bytes = chain(u32_at(bytes, 0x3C)?, &fat, size, &big)?;
        let mini_fat: Vec<u32> = (0..mini_fat_bytes.len() / 4).filter_map(|i| u32_at(&mini_fat_bytes, 4 * i)).collect();
        let root_stream = chain(u32_at(root, 116)?, &fat, size, &big)?;
        let read = |id: u32| {
            let at = (id as usize).checked_mul(mini)?;
            root_stream.get(at..at + mini).map(<[u8]>::to_vec)
        };
        chain(start, &mini_fat, mini, &read)?
    } else {
        chain(start, &fat, size, &big)?
    };
    data.truncate(len);
    Some(data)
}

/// The diagnostic of a file that a reader cannot make sense of, with the
/// reader's reason.
pub fn damaged(reason: String) -> Diagnostic {
    Diagnostic::error(format!("file danneggiato o non leggibile ({reason})"))
        .hint("riaprire il file con Excel o LibreOffice e salvarlo di nuovo")
}

thread_local! {
    static QUIET: StdCell<bool> = const { StdCell::new(false) };
}
static HOOK: Once = Once::new();

/// Runs a third-party reader, turning a panic inside it into its message.
/// The default hook's English backtrace is silenced for this thread only
/// (other threads keep theirs: a panic in piao's own code stays loud).
pub fn catch_panic<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(|q| q.get()) {
                previous(info)
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "errore interno del lettore".to_string())
    })
}

/// Checks the rectangle a sheet's cells span against [`MAX_AREA`]; the
/// error is placed at `far`, the filled cell that stretches it.
#[allow(clippy::result_large_err)] // Diagnostic is the house error type.
pub fn check_area(sheet: &str, start: (u32, u32), end: (u32, u32), far: (u32, u32)) -> Result<(), Diagnostic> {
    let rows = u64::from(end.0.saturating_sub(start.0)) + 1;
    let cols = u64::from(end.1.saturating_sub(start.1)) + 1;
    if rows.saturating_mul(cols) > MAX_AREA {
        return Err(Diagnostic::error(format!(
            "il foglio è troppo esteso: le celle usate vanno da {} a {} ({} righe × {} colonne, oltre il limite di {} celle)",
            a1(start.0, start.1),
            a1(end.0, end.1),
            crate::fmt::plain(rows.into()),
            crate::fmt::plain(cols.into()),
            crate::fmt::plain(MAX_AREA.into())
        ))
        .at(sheet, Some(a1(far.0, far.1)))
        .hint("cancellare il contenuto delle celle lontane dalla tabella (anche spazi) e salvare"));
    }
    Ok(())
}

/// True for characters that print nothing and only make two equal codes
/// differ: zero-width space and joiners, word joiner, byte-order mark, soft
/// hyphen, direction marks and embeddings.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// Cleans every text cell of a sheet once, as it is read: control
/// characters (a `\u{7}` pasted into a name) are dropped with a warning,
/// text longer than [`MAX_TEXT_CHARS`] is cut with an error, and what the
/// PDFs cannot print as written (see [`crate::printable`]) is a warning.
/// All at the cell.
pub fn clean_texts(sheet: &str, range: &mut Range<Data>, diags: &mut Vec<Diagnostic>) {
    let Some(start) = range.start() else { return };
    let mut changes = Vec::new();
    for (r, c, v) in range.used_cells() {
        let Data::String(s) = v else { continue };
        let long = s.len() > MAX_TEXT_CHARS && s.chars().count() > MAX_TEXT_CHARS;
        let control = s.chars().any(|ch| ch.is_control() && !matches!(ch, '\n' | '\r' | '\t'));
        let (row, col) = (start.0 + r as u32, start.1 + c as u32);
        let visible = |ch: &char| !ch.is_control() || matches!(ch, '\n' | '\r' | '\t');
        // What the PDFs cannot print as written is said here, at the cell
        // (the text itself stays as written: render makes it printable). A
        // text over the length limit is an error already.
        if !long {
            let problems = if control {
                crate::printable::problems(&s.chars().filter(visible).collect::<String>())
            } else {
                crate::printable::problems(s)
            };
            if let Some(m) = problems.message() {
                diags.push(
                    Diagnostic::warning(m)
                        .at(sheet, Some(a1(row, col)))
                        .hint("l'xlsx e results.json riportano il testo com'è scritto"),
                );
            }
        }
        if !long && !control {
            continue;
        }
        let mut t: String = s.chars().filter(visible).collect();
        if control {
            diags.push(
                Diagnostic::warning("la cella contiene caratteri di controllo invisibili: sono stati eliminati")
                    .at(sheet, Some(a1(row, col)))
                    .hint("di solito vengono da un copia-incolla; ricopiare il testo a mano"),
            );
        }
        if long {
            let n = t.chars().count();
            t = t.chars().take(MAX_TEXT_CHARS).collect();
            diags.push(
                Diagnostic::error(format!(
                    "il testo della cella è lungo {} caratteri, oltre il limite di {} (lo stesso di Excel)",
                    crate::fmt::plain(n.into()),
                    crate::fmt::plain(MAX_TEXT_CHARS.into())
                ))
                .at(sheet, Some(a1(row, col)))
                .hint("accorciare il testo"),
            );
        }
        changes.push(((row, col), t));
    }
    for (pos, t) in changes {
        range.set_value(pos, Data::String(t));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_a_reader_becomes_its_message() {
        let r: Result<(), String> = catch_panic(|| panic!("indice fuori intervallo"));
        assert_eq!(r, Err("indice fuori intervallo".to_string()));
        assert_eq!(catch_panic(|| 7), Ok(7));
    }

    #[test]
    fn a_sheet_spanning_the_whole_grid_is_refused_at_its_far_cell() {
        assert!(check_area("Obiettivi", (0, 0), (200, 30), (200, 30)).is_ok());
        let d = check_area("Obiettivi", (0, 0), (1_048_575, 16_383), (1_048_575, 16_383)).expect_err("too large");
        assert_eq!(d.place().as_deref(), Some("Obiettivi!XFD1048576"));
        assert!(d.message.contains("1.048.576 righe × 16.384 colonne"), "{}", d.message);
        let d = check_area("X", (0, 0), (u32::MAX, 14), (u32::MAX, 1)).expect_err("too large");
        assert_eq!(d.place().as_deref(), Some("X!B4294967296"));
    }

    #[test]
    fn an_ods_table_repeating_a_row_of_values_is_measured_expanded() {
        let table = |rows: &str| format!("<table:table table:name=\"A\">{rows}</table:table>");
        let plain = table(
            "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>x</text:p></table:table-cell>\
             <table:table-cell table:number-columns-repeated=\"1000\"/></table:table-row>\
             <table:table-row table:number-rows-repeated=\"1048575\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>",
        );
        assert_eq!(ods_area(&plain), 1);
        let bomb = table(
            "<table:table-row table:number-rows-repeated=\"700000\"><table:table-cell office:value-type=\"string\" \
             table:number-columns-repeated=\"100\"><text:p>x</text:p></table:table-cell></table:table-row>",
        );
        assert_eq!(ods_area(&bomb), 70_000_000);
    }

    #[test]
    fn control_characters_are_dropped_and_long_text_cut_with_a_diagnostic() {
        let mut range = Range::new((0, 0), (1, 1));
        range.set_value((0, 1), Data::String("Camera\u{7} di Commercio\nriga due".into()));
        range.set_value((1, 0), Data::String("é".repeat(MAX_TEXT_CHARS + 5)));
        let mut diags = Vec::new();
        clean_texts("Ente", &mut range, &mut diags);
        assert_eq!(range.get_value((0, 1)), Some(&Data::String("Camera di Commercio\nriga due".into())));
        let Some(Data::String(long)) = range.get_value((1, 0)) else { panic!("text expected") };
        assert_eq!(long.chars().count(), MAX_TEXT_CHARS);
        let places: Vec<_> = diags.iter().map(|d| d.place()).collect();
        assert_eq!(places, vec![Some("Ente!B1".to_string()), Some("Ente!A2".to_string())]);
    }
}
