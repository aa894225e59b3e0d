//! The evidence picker's folder listing: the image and document files of one folder, newest first, with
//! their size and the time they were taken (EXIF `DateTimeOriginal` when the file has it, else the file's
//! modification time). Reads the file system only; the console's executor calls it.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Local, NaiveDateTime};

/// Files with these extensions (any case) are offered: photos and scans, and office documents.
pub const EXTENSIONS: &[&str] = &[
    "jpg", "jpeg", "png", "heic", "heif", "webp", "gif", "bmp", "tif", "tiff", "pdf", "doc", "docx", "xls",
    "xlsx", "wps", "ofd", "txt",
];

/// At most this many files are listed (the newest by file time), so a folder of thousands of phone
/// photos opens at once.
pub const MAX_FILES: usize = 300;

/// One file offered by the picker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PickFile {
    pub path: PathBuf,
    pub name: String,
    pub bytes: u64,
    /// When the photo was taken, else when the file was last written.
    pub taken: NaiveDateTime,
    /// Whether `taken` comes from the photo's EXIF data.
    pub exif: bool,
}

fn offered(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// When a photo was taken, from its EXIF `DateTimeOriginal` (or `DateTime`), if it has one.
pub fn exif_taken(path: &Path) -> Option<NaiveDateTime> {
    let file = std::fs::File::open(path).ok()?;
    let mut reader = std::io::BufReader::new(file);
    let exif = exif::Reader::new().read_from_container(&mut reader).ok()?;
    let field = exif
        .get_field(exif::Tag::DateTimeOriginal, exif::In::PRIMARY)
        .or_else(|| exif.get_field(exif::Tag::DateTime, exif::In::PRIMARY))?;
    let exif::Value::Ascii(parts) = &field.value else { return None };
    let raw = parts.first()?;
    let dt = exif::DateTime::from_ascii(raw).ok()?;
    chrono::NaiveDate::from_ymd_opt(i32::from(dt.year), u32::from(dt.month), u32::from(dt.day))?.and_hms_opt(
        u32::from(dt.hour),
        u32::from(dt.minute),
        u32::from(dt.second),
    )
}

/// The offered files of `dir`, newest first (by time taken). Sub-folders and other files are left out.
pub fn list(dir: &Path) -> std::io::Result<Vec<PickFile>> {
    let mut found: Vec<(PathBuf, u64, std::time::SystemTime)> = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let Ok(entry) = entry else { continue };
        let path = entry.path();
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_file() || !offered(&path) {
            continue;
        }
        let modified = meta.modified().unwrap_or(std::time::UNIX_EPOCH);
        found.push((path, meta.len(), modified));
    }
    found.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    found.truncate(MAX_FILES);
    let mut files: Vec<PickFile> = found
        .into_iter()
        .map(|(path, bytes, modified)| {
            let taken = exif_taken(&path);
            let name = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            PickFile {
                exif: taken.is_some(),
                taken: taken.unwrap_or_else(|| DateTime::<Local>::from(modified).naive_local()),
                name,
                bytes,
                path,
            }
        })
        .collect();
    files.sort_by(|a, b| b.taken.cmp(&a.taken).then_with(|| a.name.cmp(&b.name)));
    Ok(files)
}

/// The folder the picker opens on when the user has not chosen one: Pictures (where a phone's photos
/// are usually copied), else home, else the current folder.
pub fn default_folder() -> PathBuf {
    let user = directories::UserDirs::new();
    let pictures = user.as_ref().and_then(|u| u.picture_dir()).filter(|d| d.is_dir()).map(Path::to_path_buf);
    let home = user.as_ref().map(directories::UserDirs::home_dir).filter(|d| d.is_dir());
    // Without an XDG setting, the usual names of the folder under home.
    let named =
        home.and_then(|h| ["Pictures", "图片", "Photos"].iter().map(|n| h.join(n)).find(|d| d.is_dir()));
    match pictures.or(named).or_else(|| home.map(Path::to_path_buf)) {
        Some(d) => d,
        None => std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
    }
}

/// A size as people read it: `812 B`, `45 KB`, `2.3 MB`.
pub fn human_size(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} B")
    } else if b < KB * KB {
        format!("{:.0} KB", b / KB)
    } else {
        format!("{:.1} MB", b / KB / KB)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_read_them() {
        assert_eq!(human_size(812), "812 B");
        assert_eq!(human_size(45 * 1024 + 10), "45 KB");
        assert_eq!(human_size(2_400_000), "2.3 MB");
    }

    #[test]
    fn only_images_and_documents_are_listed_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("旧照片.JPG");
        let new = dir.path().join("new.pdf");
        std::fs::write(&old, b"not really a jpeg").unwrap();
        std::fs::write(&new, b"%PDF-1.4").unwrap();
        std::fs::write(dir.path().join("notes.exe"), b"MZ").unwrap();
        std::fs::create_dir(dir.path().join("sub.jpg")).unwrap();
        let day = std::time::Duration::from_secs(86_400);
        let t = std::time::SystemTime::now() - day;
        std::fs::File::options().write(true).open(&old).unwrap().set_modified(t - day).unwrap();
        std::fs::File::options().write(true).open(&new).unwrap().set_modified(t).unwrap();
        let files = list(dir.path()).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["new.pdf", "旧照片.JPG"]);
        assert!(files.iter().all(|f| !f.exif));
        assert_eq!(files[1].bytes, 17);
    }
}
