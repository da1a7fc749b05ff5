//! The typst `World` piao compiles in: embedded fonts (Noto Sans with Noto
//! Sans Math and Noto Sans Symbols 2 for the signs it lacks, see `fonts`), the layouts (embedded, or the user's overrides),
//! the computed model as the virtual file `/data.json`, an optional logo, and
//! a fixed `today()`. No system fonts, no network, no packages, and nothing
//! outside these files can be read.

use super::layouts::Layouts;
use chrono::{Datelike, NaiveDate};
use std::sync::{Arc, LazyLock};
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// Fonts are parsed once per process and shared by every document.
struct FontSet {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<FontSet> = LazyLock::new(|| {
    let fonts: Vec<Font> = crate::fonts::FACES.iter().flat_map(|(_, data)| Font::iter(Bytes::new(*data))).collect();
    FontSet { book: LazyHash::new(FontBook::from_fonts(&fonts)), fonts }
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::builder().build()));

/// One document's compilation context.
pub struct PiaoWorld {
    main: FileId,
    layouts: Arc<Layouts>,
    data: Bytes,
    logo: Option<(String, Bytes)>,
    today: NaiveDate,
}

/// The id of a file at the project root, by its virtual path (`/data.json`).
pub fn file_id(path: &str) -> Option<FileId> {
    VirtualPath::new(path).ok().map(|vp| RootedPath::new(VirtualRoot::Project, vp).intern())
}

impl PiaoWorld {
    /// A world whose main file is the layout `main` (e.g. `allegato.typ`),
    /// reading `data` as `/data.json`; the logo, if any, is `/logo.<ext>`.
    pub fn new(
        main: &str,
        layouts: Arc<Layouts>,
        data: Vec<u8>,
        logo: Option<(String, Vec<u8>)>,
        today: NaiveDate,
    ) -> Option<Self> {
        Some(PiaoWorld {
            main: file_id(&format!("/{main}"))?,
            layouts,
            data: Bytes::new(data),
            logo: logo.map(|(name, bytes)| (format!("/{name}"), Bytes::new(bytes))),
            today,
        })
    }

    fn path_of(id: FileId) -> FileResult<String> {
        let rooted = id.get();
        if !matches!(rooted.root(), VirtualRoot::Project) {
            return Err(FileError::AccessDenied);
        }
        Ok(rooted.vpath().get_with_slash().to_string())
    }
}

impl World for PiaoWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        let path = Self::path_of(id)?;
        let name = path.trim_start_matches('/');
        match self.layouts.get(name) {
            Some(text) => Ok(Source::new(id, text.to_string())),
            None => Err(FileError::NotFound(name.into())),
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        let path = Self::path_of(id)?;
        if path == "/data.json" {
            return Ok(self.data.clone());
        }
        if let Some((name, bytes)) = &self.logo
            && &path == name
        {
            return Ok(bytes.clone());
        }
        match self.layouts.get(path.trim_start_matches('/')) {
            Some(text) => Ok(Bytes::from_string(text.to_string())),
            None => Err(FileError::NotFound(path.trim_start_matches('/').into())),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Datetime::from_ymd(self.today.year(), self.today.month() as u8, self.today.day() as u8)
    }
}
