//! Reading a `.qdpx` (a zip) without trusting it.
//!
//! Nothing is ever unpacked to disk: entries are read into memory by name.
//! Still, an archive naming an entry outside itself (`../x`, `/etc/x`,
//! `C:\x`) is refused as a whole, since no honest exporter writes one; an
//! entry bigger than [`MAX_ENTRY`] once unpacked, or more than [`MAX_TOTAL`]
//! read in all, is refused however small its compressed form (a zip bomb),
//! and the size the archive declares is not trusted: reading stops one byte
//! past the limit.

use std::io::{Cursor, Read};

/// The most one entry may hold once unpacked.
pub(crate) const MAX_ENTRY: u64 = 64 << 20;
/// The most all entries read may hold together.
pub(crate) const MAX_TOTAL: u64 = 512 << 20;
/// The most entries an archive may list.
pub(crate) const MAX_ENTRIES: usize = 100_000;

pub(crate) struct Archive<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    read: u64,
}

impl<'a> Archive<'a> {
    /// Opens `bytes` as a zip and checks every entry's name.
    pub(crate) fn open(bytes: &'a [u8]) -> Result<Archive<'a>, String> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| format!("not a readable zip archive ({e}); a .qdpx is a zip"))?;
        if zip.len() > MAX_ENTRIES {
            return Err(format!(
                "the archive lists {} entries, more than the {MAX_ENTRIES} a project may have",
                zip.len()
            ));
        }
        for name in zip.file_names() {
            if !is_enclosed(name) {
                return Err(format!(
                    "the archive names an entry outside itself (`{}`); refusing the whole archive",
                    name.escape_debug()
                ));
            }
        }
        Ok(Archive { zip, read: 0 })
    }

    /// The entry at `name` (compared without letter case, `\` read as
    /// `/`), as text; `None` when there is none.
    pub(crate) fn text(&mut self, name: &str) -> Result<Option<String>, String> {
        let wanted = name.replace('\\', "/").to_lowercase();
        let Some(index) = (0..self.zip.len()).find(|&i| {
            self.zip
                .name_for_index(i)
                .is_some_and(|n| n.replace('\\', "/").to_lowercase() == wanted)
        }) else {
            return Ok(None);
        };
        let mut entry = self
            .zip
            .by_index(index)
            .map_err(|e| format!("`{name}` cannot be read: {e}"))?;
        let limit = MAX_ENTRY.min(MAX_TOTAL - self.read);
        if entry.size() > limit {
            return Err(too_big(name, entry.size()));
        }
        let mut bytes = Vec::new();
        (&mut entry)
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("`{name}` cannot be unpacked: {e}"))?;
        if bytes.len() as u64 > limit {
            return Err(too_big(name, bytes.len() as u64));
        }
        self.read += bytes.len() as u64;
        let bytes = bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .map(<[u8]>::to_vec)
            .unwrap_or(bytes);
        String::from_utf8(bytes).map(Some).map_err(|e| {
            format!(
                "`{name}` is not UTF-8 text (byte {})",
                e.utf8_error().valid_up_to()
            )
        })
    }
}

fn too_big(name: &str, size: u64) -> String {
    format!(
        "`{name}` unpacks to more than {} MiB ({size} bytes or more); refusing it as a possible zip bomb",
        MAX_ENTRY >> 20
    )
}

/// Whether an entry's name stays inside the archive: relative, without
/// `..`, a drive or a NUL.
fn is_enclosed(name: &str) -> bool {
    let name = name.replace('\\', "/");
    !name.starts_with('/')
        && !name.contains('\0')
        && !name
            .split('/')
            .next()
            .is_some_and(|first| first.contains(':'))
        && name.split('/').all(|part| part != "..")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            zip.start_file(*name, options).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn entries_are_found_by_name_in_any_case() {
        let bytes = zip_of(&[
            ("Project.qde", b"\xEF\xBB\xBF<Project/>"),
            ("sources/a.txt", b"hi"),
        ]);
        let mut a = Archive::open(&bytes).unwrap();
        assert_eq!(
            a.text("project.qde").unwrap().as_deref(),
            Some("<Project/>")
        );
        assert_eq!(a.text("sources\\a.txt").unwrap().as_deref(), Some("hi"));
        assert_eq!(a.text("sources/b.txt").unwrap(), None);
    }

    #[test]
    fn names_outside_the_archive_refuse_it() {
        for bad in [
            "../evil.txt",
            "sources/../../evil",
            "/etc/passwd",
            "C:/x",
            "..\\x",
        ] {
            let bytes = zip_of(&[("project.qde", b"<Project/>"), (bad, b"x")]);
            let err = Archive::open(&bytes).err().expect(bad);
            assert!(err.contains("outside itself"), "{bad}: {err}");
        }
        assert!(is_enclosed("sources/a..b.txt"));
    }

    #[test]
    fn a_zip_bomb_is_refused_and_not_unpacked() {
        // 65 MiB of zeros deflate to ~65 KiB.
        let big = vec![0u8; (MAX_ENTRY + (1 << 20)) as usize];
        let bytes = zip_of(&[("project.qde", &big)]);
        assert!(bytes.len() < 1 << 20);
        let mut a = Archive::open(&bytes).unwrap();
        let err = a.text("project.qde").unwrap_err();
        assert!(err.contains("zip bomb"), "{err}");
    }

    #[test]
    fn not_a_zip_is_an_error() {
        let err = Archive::open(b"<Project/>").err().unwrap();
        assert!(err.contains("not a readable zip"), "{err}");
    }
}
